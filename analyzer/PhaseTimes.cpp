#include "PhaseTimes.h"

#include "llvm/Support/Format.h"

namespace chanlint {

namespace {
/// The clock of the analysis running on this thread, if it is measured.
thread_local PhaseClock *ActiveClock = nullptr;
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
  return *this;
}

void PhaseTimes::print(llvm::raw_ostream &OS) const {
  auto Ms = [](double S) { return llvm::format("%.1f ms", 1000 * S); };
  OS << "total " << Ms(total());
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
    : Out(Out), Outer(ActiveClock), Since(Clock::now()) {
  ActiveClock = this;
}

PhaseClock::~PhaseClock() {
  charge();
  ActiveClock = Outer;
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
