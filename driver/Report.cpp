#include "Report.h"

#include "Fingerprint.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <tuple>

namespace chanlint::driver {

namespace {

bool sameFinding(const Diagnostic &A, const Diagnostic &B) {
  return A.Check == B.Check && A.Loc.File == B.Loc.File &&
         A.Loc.Begin.Offset == B.Loc.Begin.Offset && A.Message == B.Message;
}

} // namespace

Report buildReport(std::vector<TUResult> TUs, std::string SrcRoot) {
  Report R;
  R.SrcRoot = std::move(SrcRoot);
  R.TUs = std::move(TUs);
  std::sort(R.TUs.begin(), R.TUs.end(),
            [](const TUResult &A, const TUResult &B) { return A.File < B.File; });

  // A total order (ties go to the first TU by name), so that which copy of
  // a header's finding is kept does not depend on the sort.
  std::vector<Reported> All;
  for (const TUResult &T : R.TUs)
    for (const Diagnostic &D : T.Diagnostics)
      All.push_back({D, "", T.BuildDirectory, T.File});
  std::sort(All.begin(), All.end(), [](const Reported &A, const Reported &B) {
    if (diagnosticLess(A.Diag, B.Diag) || diagnosticLess(B.Diag, A.Diag))
      return diagnosticLess(A.Diag, B.Diag);
    return A.TU < B.TU;
  });
  for (Reported &F : All)
    if (R.Findings.empty() || !sameFinding(R.Findings.back().Diag, F.Diag))
      R.Findings.push_back(std::move(F));

  std::vector<Diagnostic> Diags;
  for (const Reported &F : R.Findings)
    Diags.push_back(F.Diag);
  std::vector<std::string> Prints = computeFingerprints(Diags, R.SrcRoot);
  for (size_t I = 0; I < R.Findings.size(); ++I)
    R.Findings[I].Fingerprint = Prints[I];
  return R;
}

unsigned filterFindings(Report &R, llvm::function_ref<bool(const Reported &)> Keep) {
  size_t Before = R.Findings.size();
  R.Findings.erase(std::remove_if(R.Findings.begin(), R.Findings.end(),
                                  [&](const Reported &F) { return !Keep(F); }),
                   R.Findings.end());
  return Before - R.Findings.size();
}

std::vector<const TUResult *> Report::failedTUs() const {
  std::vector<const TUResult *> Out;
  for (const TUResult &T : TUs)
    if (T.Failed)
      Out.push_back(&T);
  return Out;
}

std::vector<const Diagnostic *> Report::compilerErrors() const {
  // (diagnostic, TU index, index in the TU): a total order, as above.
  std::vector<std::tuple<const Diagnostic *, size_t, size_t>> Keyed;
  for (size_t T = 0; T < TUs.size(); ++T)
    for (size_t I = 0; I < TUs[T].CompilerErrors.size(); ++I)
      Keyed.emplace_back(&TUs[T].CompilerErrors[I], T, I);
  std::sort(Keyed.begin(), Keyed.end(), [](const auto &A, const auto &B) {
    const Diagnostic &DA = *std::get<0>(A), &DB = *std::get<0>(B);
    if (diagnosticLess(DA, DB) || diagnosticLess(DB, DA))
      return diagnosticLess(DA, DB);
    return std::tie(std::get<1>(A), std::get<2>(A)) < std::tie(std::get<1>(B), std::get<2>(B));
  });
  std::vector<const Diagnostic *> Out;
  for (const auto &K : Keyed)
    Out.push_back(std::get<0>(K));
  Out.erase(std::unique(Out.begin(), Out.end(),
                        [](const Diagnostic *A, const Diagnostic *B) {
                          return sameFinding(*A, *B);
                        }),
            Out.end());
  return Out;
}

SuppressedWarnings Report::suppressed() const {
  SuppressedWarnings Sum;
  for (const TUResult &T : TUs)
    Sum += T.Suppressed;
  return Sum;
}

std::vector<BoundNotice> Report::bounds() const {
  std::vector<BoundNotice> Out;
  for (const TUResult &T : TUs)
    llvm::append_range(Out, T.Bounds);
  std::sort(Out.begin(), Out.end(), boundNoticeLess);
  // The same place and bound from several TUs, whatever root named it.
  Out.erase(std::unique(Out.begin(), Out.end(),
                        [](const BoundNotice &A, const BoundNotice &B) {
                          return A.Bound == B.Bound && A.Loc.File == B.Loc.File &&
                                 A.Loc.Begin.Offset == B.Loc.Begin.Offset;
                        }),
            Out.end());
  return Out;
}

std::string displayPath(llvm::StringRef File, llvm::StringRef SrcRoot) {
  std::string Rel = relativePath(File, SrcRoot);
  return Rel.empty() ? File.str() : Rel;
}

} // namespace chanlint::driver
