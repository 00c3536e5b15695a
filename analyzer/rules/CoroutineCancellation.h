// Does cancelling a coroutine end a loop in it? Under a library whose
// coroutines throw at their next co_await once their cancellation was
// requested (the model's `coroutines` with `cancelled_await_throws`: Asio's
// awaitable), a loop that takes a cancelled wait back as an error value
// still ends, one round later: the next co_await throws operation_aborted.
// Unless the coroutine turns that throw off (`throw_if_cancelled(false)`,
// here or in a coroutine it awaits) or clears the request inside the loop
// (`reset_cancellation_state()`): then each cancellation only brings one
// more round.
#pragma once

#include "../FunctionIR.h"

namespace chanlint {

struct LoopCancellation {
  /// Cancelling the coroutine ends the loop at its next co_await.
  bool Ends = false;
  /// When the model's coroutine would end it but the code prevents that:
  /// the call that turns the throw off or clears the request.
  const clang::CallExpr *KeptGoingBy = nullptr;
  /// KeptGoingBy clears the request (reset) rather than turning the throw
  /// off.
  bool ByReset = false;
};

/// For the loop of IR's body through block LoopBlock.
LoopCancellation cancellingCoroutine(const FunctionIR &IR, unsigned LoopBlock);

} // namespace chanlint
