// Where an analysis spends its time, per phase, measured by the analyzer
// itself (--enable-check-profile charges all of it to whichever check runs
// first). Times are exclusive: IR built on demand while a rule or the model
// builder runs counts as IR, not as that rule.
//
// A PhaseClock measures one analysis on one thread; PhaseScope switches it
// to a phase for a scope and back. Without a clock on the thread a scope
// costs nothing but a thread-local read.
#pragma once

#include "CheckCatalog.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <array>
#include <chrono>
#include <map>

namespace chanlint {

enum class Phase : uint8_t {
  Collection, ///< finding the user's functions and roots
  IR,         ///< CFGs and the operations on them
  Model,      ///< program models: parties, frames, tasks
  Concurrency,///< which events may run concurrently
  Rule,       ///< a rule (which one: PhaseScope's check)
  Findings,   ///< sorting, deduplication, notes
  Cleanup,    ///< freeing the IR, the models' caches, the parent maps
};
constexpr unsigned NumPhases = 7;
llvm::StringRef phaseName(Phase P);

/// The global option that prints each TU's phase times on stderr.
inline constexpr llvm::StringLiteral PhaseTimesOption = "chanlint.PhaseTimes";

struct PhaseTimes {
  std::array<double, NumPhases> Seconds{};  ///< by Phase, elapsed
  std::map<CheckId, double> RuleSeconds;    ///< the Rule phase, by check
  /// CPU time of the analysing thread over all phases: unlike the elapsed
  /// times, not lengthened when other processes take the core.
  double CpuSeconds = 0;
  /// Pages the analysing thread touched for the first time (minor page
  /// faults): the memory the analysis takes, as a cost. On a virtual
  /// machine each one can cost more than the work done on the page.
  long PageFaults = 0;

  double total() const;
  PhaseTimes &operator+=(const PhaseTimes &O);
  /// "total 7.0 ms (CPU 6.5 ms, 120 page faults), collection 1.2 ms, ..., rules
  /// 2.0 ms (chan-x 1.1 ms, ...), ...".
  void print(llvm::raw_ostream &OS) const;
};

class PhaseClock {
public:
  /// Starts measuring on this thread (in Collection) until destroyed.
  explicit PhaseClock(PhaseTimes &Out);
  ~PhaseClock();
  /// Charges what follows to P until the next switch (no scope to restore:
  /// what the end of a function destroys).
  void enter(Phase P);
  PhaseClock(const PhaseClock &) = delete;
  PhaseClock &operator=(const PhaseClock &) = delete;

private:
  friend class PhaseScope;
  using Clock = std::chrono::steady_clock;
  /// Charges the time since the last switch to the current phase.
  void charge();

  PhaseTimes &Out;
  PhaseClock *Outer;
  Phase Current = Phase::Collection;
  CheckId CurrentRule{};
  Clock::time_point Since;
  double CpuStart;  ///< the thread's CPU clock when measuring began
  long FaultsStart; ///< and its page faults
};

class PhaseScope {
public:
  explicit PhaseScope(Phase P, CheckId Rule = CheckId());
  ~PhaseScope();
  PhaseScope(const PhaseScope &) = delete;
  PhaseScope &operator=(const PhaseScope &) = delete;

private:
  PhaseClock *C;
  Phase SavedPhase{};
  CheckId SavedRule{};
};

} // namespace chanlint
