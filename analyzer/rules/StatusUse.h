// Is the status a send returns looked at? A send that reports a closed
// channel by its result (Boost.Fiber's push returns
// channel_op_status::closed, an in-house queue's push returns false) is
// ready for a close only where the code tests that result: compares it,
// branches on it, hands it to a caller that does, or stores it and tests
// the variable later.
#pragma once

#include "RuleContext.h"

namespace chanlint {

/// True if the value the send's call returns is tested, or handed to code
/// that may test it (an argument, a member, a container): only a result
/// that is discarded, cast to void, or kept in a local nobody reads counts
/// as ignored. A result returned from a helper is followed to the helper's
/// call site in the party (the frame that ran it), then judged there.
bool sendStatusTested(RuleContext &RC, const Event &Send);

} // namespace chanlint
