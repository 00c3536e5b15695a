// chan-ticker-not-stopped, for timers that tick by re-arming themselves
// (Asio's steady_timer): a wait whose completion starts the wait again on
// every path, also when the wait was cancelled, is a ticker nobody can
// stop. TickerNotStopped's rule runs this one on every body.
#pragma once

#include "RuleRegistry.h"

namespace chanlint {

/// Reports, in one function body:
///  - an asynchronous wait (the model's timers' async_wait) whose
///    completion handler waits on the same timer again on every path
///    through it (itself or through the functions it calls on every path):
///    no path stops on an error (operation_aborted) or a flag;
///  - such a wait awaited in a loop that has no way out, with a completion
///    token that hands the error back as a value (the model's
///    error_value_tokens: redirect_error, as_tuple) instead of throwing it,
///    unless only the coroutine's cancellation can cancel the timer and
///    that ends the loop (CoroutineCancellation.h).
void checkRearmingTimers(FunctionRuleContext &TC, const FunctionIR &IR,
                         std::vector<Finding> &Out);

} // namespace chanlint
