// chan::testing: the goleak of chan. Reports what is still alive: tasks
// started with chan::go / WaitGroup::go / Group::go that have not returned,
// tickers not stopped, and timers neither fired nor stopped.
//
// In a test:           chan::testing::verify_none();          // throws leak_error
//                      chan::testing::LeakGuard guard(grace, [](auto& r) { FAIL() << r; });
// In a witness main(): chan::testing::LeakGuard guard;  // first line of main: at
//                      exit, prints leaks and exits with leak_exit_code
#pragma once

#include <chan/clock.hpp>
#include <chan/detail/live_registry.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>
#include <ostream>
#include <source_location>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace chan::testing {

using LeakKind = chan::detail::LiveKind;

constexpr const char* to_string(LeakKind kind) noexcept {
  switch (kind) {
    case LeakKind::task:
      return "task";
    case LeakKind::group_task:
      return "group task";
    case LeakKind::ticker:
      return "ticker";
    case LeakKind::timer:
      return "timer";
  }
  return "?";
}

// How long the checks wait, by default, for things to wind down.
inline constexpr std::chrono::milliseconds default_grace{500};

// The exit status of a program that LeakGuard or exit_on_leak() found leaking.
inline constexpr int leak_exit_code = 3;

struct Leak {
  LeakKind kind = LeakKind::task;
  std::source_location where;  // line() == 0: unknown (chan::go(f, args...))
  Duration age{};              // how long it has been alive
};

class LeakReport {
 public:
  LeakReport() = default;
  explicit LeakReport(std::vector<Leak> leaks) : leaks_(std::move(leaks)) {}

  [[nodiscard]] bool empty() const noexcept { return leaks_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return leaks_.size(); }
  [[nodiscard]] const std::vector<Leak>& leaks() const noexcept { return leaks_; }
  [[nodiscard]] auto begin() const noexcept { return leaks_.begin(); }
  [[nodiscard]] auto end() const noexcept { return leaks_.end(); }

  [[nodiscard]] std::size_t count(LeakKind kind) const noexcept {
    std::size_t n = 0;
    for (const Leak& leak : leaks_) n += leak.kind == kind ? 1 : 0;
    return n;
  }

  // "chan::testing: found 1 leak:\n  ticker started at f.cpp:12 in void f() (alive 503 ms)\n"
  [[nodiscard]] std::string to_string() const {
    std::ostringstream out;
    if (leaks_.empty()) {
      out << "chan::testing: no leaks\n";
      return out.str();
    }
    out << "chan::testing: found " << leaks_.size() << (leaks_.size() == 1 ? " leak:\n" : " leaks:\n");
    for (const Leak& leak : leaks_) {
      out << "  " << testing::to_string(leak.kind) << " started at ";
      if (leak.where.line() != 0) {
        out << leak.where.file_name() << ':' << leak.where.line() << " in " << leak.where.function_name();
      } else {
        out << "<unknown location>";
      }
      out << " (alive " << std::chrono::duration_cast<std::chrono::milliseconds>(leak.age).count() << " ms)\n";
    }
    return out.str();
  }

  friend std::ostream& operator<<(std::ostream& os, const LeakReport& report) { return os << report.to_string(); }

 private:
  std::vector<Leak> leaks_;
};

}  // namespace chan::testing

namespace chan::detail {

inline testing::LeakReport leaks_since(std::uint64_t since, std::chrono::milliseconds grace) {
  const TimePoint deadline = Clock::now() + grace;
  std::vector<LiveItem> alive = LiveRegistry::instance().wait_until_clear(since, deadline);
  const TimePoint now = Clock::now();
  std::vector<testing::Leak> leaks;
  leaks.reserve(alive.size());
  for (const auto& item : alive) leaks.push_back(testing::Leak{item.kind, item.where, now - item.since});
  return testing::LeakReport(std::move(leaks));
}

[[noreturn]] inline void exit_with(const testing::LeakReport& report) noexcept {
  std::cout.flush();
  std::fputs(report.to_string().c_str(), stderr);
  std::fflush(nullptr);
  // _Exit: leaked tasks are still running; static destructors must not race them.
  std::_Exit(testing::leak_exit_code);
}

}  // namespace chan::detail

namespace chan::testing {

// Everything alive, after waiting up to grace (on a condition variable, not
// by polling) for it to finish. Empty if nothing leaked.
[[nodiscard]] inline LeakReport leaks(std::chrono::milliseconds grace = std::chrono::milliseconds::zero()) {
  return detail::leaks_since(0, grace);
}

class leak_error : public std::runtime_error {
 public:
  explicit leak_error(LeakReport report) : std::runtime_error(report.to_string()), report_(std::move(report)) {}
  [[nodiscard]] const LeakReport& report() const noexcept { return report_; }

 private:
  LeakReport report_;
};

// Throws leak_error if anything is still alive after grace.
inline void verify_none(std::chrono::milliseconds grace = default_grace) {
  LeakReport report = leaks(grace);
  if (!report.empty()) throw leak_error(std::move(report));
}

// For a main(): if anything is still alive after grace, prints the report to
// stderr and exits with leak_exit_code; otherwise returns.
inline void exit_on_leak(std::chrono::milliseconds grace = default_grace) {
  LeakReport report = leaks(grace);
  if (!report.empty()) detail::exit_with(report);
}

// Checks, when it goes out of scope, that nothing started during its life is
// still alive (like goleak's VerifyNone with IgnoreCurrent). By default a
// leak prints the report and exits with leak_exit_code; pass a handler to do
// something else (e.g. fail a test).
class LeakGuard {
 public:
  using Handler = std::function<void(const LeakReport&)>;

  explicit LeakGuard(std::chrono::milliseconds grace = default_grace, Handler on_leak = {})
      : since_(chan::detail::LiveRegistry::instance().next_id()),
        grace_(grace),
        on_leak_(std::move(on_leak)),
        unwinding_(std::uncaught_exceptions()) {}

  LeakGuard(const LeakGuard&) = delete;
  LeakGuard& operator=(const LeakGuard&) = delete;
  LeakGuard(LeakGuard&&) = delete;
  LeakGuard& operator=(LeakGuard&&) = delete;

  ~LeakGuard() noexcept(false) {
    if (std::uncaught_exceptions() > unwinding_) return;  // already failing; do not mask it
    LeakReport report = check(grace_);
    if (report.empty()) return;
    if (on_leak_) {
      on_leak_(report);
    } else {
      detail::exit_with(report);
    }
  }

  // What started during this guard's life is still alive after grace.
  [[nodiscard]] LeakReport check(std::chrono::milliseconds grace = std::chrono::milliseconds::zero()) const {
    return detail::leaks_since(since_, grace);
  }

 private:
  std::uint64_t since_;
  std::chrono::milliseconds grace_;
  Handler on_leak_;
  int unwinding_;
};

}  // namespace chan::testing
