// Order between two channel events of the same party: may B happen after A?
// The party runs its frames in place (calls, deferred callables, select
// callbacks), so both events are lifted along their frames to the innermost
// frame that runs both, and the engine's order of ops answers there: the
// close in a helper called after the send follows the send; a deferred
// close follows everything before its scope ends. What the frames below A
// leave behind (the select case chosen, flags set, a callee that must
// throw; KnownAfterOp.h) prunes the paths after A that cannot be taken.
#pragma once

#include "ProgramModel.h"

namespace chanlint {

/// True if event B may happen after event A in their (common) party; false
/// for events of different parties, whose order is Concurrency's question.
bool mayFollowInParty(const ProgramModel &M, const Event &A, const Event &B);

} // namespace chanlint
