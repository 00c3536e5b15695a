#include "PhaseTimes.h"

#include "llvm/Support/Format.h"

#include <ctime>
#include <sys/resource.h>

namespace chanlint {

namespace {
/// The clock of the analysis running on this thread, if it is measured.
thread_local PhaseClock *ActiveClock = nullptr;

/// CPU seconds this thread has run (two reads per analysis: a system call).
double threadCpuSeconds() {
  timespec T;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &T) != 0)
    return 0;
  return T.tv_sec + T.tv_nsec * 1e-9;
}

/// Minor page faults of this thread so far.
long threadPageFaults() {
  rusage U;
  if (getrusage(RUSAGE_THREAD, &U) != 0)
    return 0;
  return U.ru_minflt;
}
} // namespace

llvm::StringRef phaseName(Phase P) {
  switch (P) {
  case Phase::Collection:
    return "collection";
  case Phase::IR:
    return "IR";
  case Phase::Model:
    return "model";
  case Phase::Concurrency:
    return "concurrency";
  case Phase::Rule:
    return "rules";
  case Phase::Findings:
    return "findings";
  case Phase::Cleanup:
    return "cleanup";
  }
  return "?";
}

double PhaseTimes::total() const {
  double T = 0;
  for (double S : Seconds)
    T += S;
  return T;
}

PhaseTimes &PhaseTimes::operator+=(const PhaseTimes &O) {
  for (unsigned I = 0; I < NumPhases; ++I)
    Seconds[I] += O.Seconds[I];
  for (const auto &[Id, S] : O.RuleSeconds)
    RuleSeconds[Id] += S;
  CpuSeconds += O.CpuSeconds;
  PageFaults += O.PageFaults;
  return *this;
}

void PhaseTimes::print(llvm::raw_ostream &OS) const {
  auto Ms = [](double S) { return llvm::format("%.1f ms", 1000 * S); };
  OS << "total " << Ms(total()) << " (CPU " << Ms(CpuSeconds) << ", " << PageFaults
     << " page faults)";
  for (unsigned I = 0; I < NumPhases; ++I) {
    OS << ", " << phaseName(Phase(I)) << " " << Ms(Seconds[I]);
    if (Phase(I) != Phase::Rule || RuleSeconds.empty())
      continue;
    OS << " (";
    bool First = true;
    for (const auto &[Id, S] : RuleSeconds) {
      OS << (First ? "" : ", ") << checkInfo(Id).Name << " " << Ms(S);
      First = false;
    }
    OS << ")";
  }
}

PhaseClock::PhaseClock(PhaseTimes &Out)
    : Out(Out), Outer(ActiveClock), Since(Clock::now()),
      CpuStart(threadCpuSeconds()), FaultsStart(threadPageFaults()) {
  ActiveClock = this;
}

PhaseClock::~PhaseClock() {
  charge();
  Out.CpuSeconds += threadCpuSeconds() - CpuStart;
  Out.PageFaults += threadPageFaults() - FaultsStart;
  ActiveClock = Outer;
}

void PhaseClock::enter(Phase P) {
  charge();
  Current = P;
  CurrentRule = CheckId();
}

void PhaseClock::charge() {
  Clock::time_point Now = Clock::now();
  double S = std::chrono::duration<double>(Now - Since).count();
  Out.Seconds[unsigned(Current)] += S;
  if (Current == Phase::Rule)
    Out.RuleSeconds[CurrentRule] += S;
  Since = Now;
}

PhaseScope::PhaseScope(Phase P, CheckId Rule) : C(ActiveClock) {
  if (!C)
    return;
  C->charge();
  SavedPhase = C->Current;
  SavedRule = C->CurrentRule;
  C->Current = P;
  C->CurrentRule = Rule;
}

PhaseScope::~PhaseScope() {
  if (!C)
    return;
  C->charge();
  C->Current = SavedPhase;
  C->CurrentRule = SavedRule;
}

} // namespace chanlint
