// Where an event runs inside a select: the select whose case callback
// (directly, or through the helpers it calls) performs it. The close-in-
// select check asks it, and the send-after-close check asks it to leave
// that close to its owner.
#pragma once

#include "RuleContext.h"

#include <optional>

namespace chanlint {

struct SelectCaseScope {
  FrameId Frame = NoFrame; ///< the frame that runs the select
  OpLocation Loc;          ///< the select op
  unsigned Case = 0;       ///< the case whose callback runs the event
};

/// The innermost select whose case callback runs the event, if any.
std::optional<SelectCaseScope> selectRunning(const ProgramModel &M,
                                             const Event &E);

/// The index of a send case of that select on the channel (another case
/// than the one running the event), if any.
std::optional<unsigned> sendCaseOn(RuleContext &RC, const SelectCaseScope &S,
                                   ObjectId Channel);

} // namespace chanlint
