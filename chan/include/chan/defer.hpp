// chan::Defer: Go's defer. Runs a callable when the scope ends: on return,
// on break/continue, and while unwinding from an exception.
#pragma once

#include <type_traits>
#include <utility>

namespace chan {

//   chan::Defer stop([&] { ticker.stop(); });
//
// Several Defers in a scope run in reverse order, like Go's defers. An
// exception thrown by the deferred call propagates (a deferred close() of a
// closed channel surfaces as double_close_error), except while the scope is
// already unwinding from another exception, where C++ must terminate.
template <class F>
class Defer {
  static_assert(std::is_invocable_v<F&>, "Defer needs a callable taking no arguments");

 public:
  explicit Defer(F fn) noexcept(std::is_nothrow_move_constructible_v<F>) : fn_(std::move(fn)) {}
  Defer(const Defer&) = delete;
  Defer& operator=(const Defer&) = delete;
  Defer(Defer&&) = delete;
  Defer& operator=(Defer&&) = delete;
  ~Defer() noexcept(false) { fn_(); }

 private:
  F fn_;
};

template <class F>
Defer(F) -> Defer<F>;

}  // namespace chan
