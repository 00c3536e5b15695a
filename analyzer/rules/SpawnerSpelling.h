// How to write an expression of a task's body in the scope that starts the
// task, for fix-its that move code out of the task (a close after the
// senders' WaitGroup, a WaitGroup::add before the launch).
#pragma once

#include "RuleContext.h"

#include <optional>
#include <string>

namespace chanlint {

struct Spelled {
  std::string Text;
  bool NeedsThis = false; ///< names a member: the spawner must capture `this`
};

/// The same text when E names a variable of the spawning frame (captured
/// into the task), a global, or a member of the same object; otherwise none.
std::optional<Spelled> spellInSpawner(RuleContext &RC, const clang::Expr *E,
                                      FrameId Where, FrameId SpawnFrame);

} // namespace chanlint
