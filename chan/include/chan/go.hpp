// chan::go: Go's `go` statement. Starts a detached task (a thread) that the
// leak checker tracks until it returns. An exception escaping the task ends
// the program, as a panic in a goroutine does.
#pragma once

#include <chan/detail/live_registry.hpp>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <source_location>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

namespace chan {

namespace detail {

[[noreturn]] inline void panic(const char* what, const std::source_location& where) noexcept {
  if (where.line() != 0) {
    std::fprintf(stderr, "panic: %s\n\ntask started at %s:%u in %s\n", what, where.file_name(),
                 static_cast<unsigned>(where.line()), where.function_name());
  } else {
    std::fprintf(stderr, "panic: %s\n", what);
  }
  std::fflush(stderr);
  std::abort();
}

// Runs body on a new detached thread, registered as live until body (and
// everything it captured) is gone.
template <class F>
void spawn(LiveKind kind, const std::source_location& where, F&& body) {
  LiveRegistry& registry = LiveRegistry::instance();
  const std::uint64_t id = registry.add(kind, where);
  try {
    std::thread([id, where, fn = std::forward<F>(body)]() mutable noexcept {
      {
        auto task = std::move(fn);
        try {
          std::invoke(task);
        } catch (const std::exception& e) {
          panic(e.what(), where);
        } catch (...) {
          panic("unknown exception", where);
        }
      }
      LiveRegistry::instance().remove(id);
    }).detach();
  } catch (...) {
    registry.remove(id);
    throw;
  }
}

}  // namespace detail

// go(f): runs f() concurrently. Where it was started is recorded for leak
// reports and panic messages.
template <class F>
  requires std::is_invocable_v<std::decay_t<F>&>
void go(F&& f, const std::source_location& where = std::source_location::current()) {
  detail::spawn(detail::LiveKind::task, where, std::forward<F>(f));
}

// go(f, args...): runs f(args...) concurrently. As with std::thread (and Go),
// the arguments are copied (or moved) now, in the caller.
template <class F, class... Args>
  requires(sizeof...(Args) > 0) && std::is_invocable_v<std::decay_t<F>, std::decay_t<Args>...>
void go(F&& f, Args&&... args) {
  detail::spawn(detail::LiveKind::task, std::source_location(),
                [fn = std::forward<F>(f), tuple = std::make_tuple(std::forward<Args>(args)...)]() mutable {
                  std::apply(std::move(fn), std::move(tuple));
                });
}

}  // namespace chan
