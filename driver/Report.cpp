#include "Report.h"

#include "Fingerprint.h"

#include <algorithm>

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

  std::vector<Reported> All;
  for (const TUResult &T : R.TUs)
    for (const Diagnostic &D : T.Diagnostics)
      All.push_back({D, "", T.BuildDirectory, T.File});
  std::stable_sort(All.begin(), All.end(), [](const Reported &A, const Reported &B) {
    return diagnosticLess(A.Diag, B.Diag);
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
  std::vector<const Diagnostic *> Out;
  for (const TUResult &T : TUs)
    for (const Diagnostic &D : T.CompilerErrors)
      Out.push_back(&D);
  std::stable_sort(Out.begin(), Out.end(), [](const Diagnostic *A, const Diagnostic *B) {
    return diagnosticLess(*A, *B);
  });
  Out.erase(std::unique(Out.begin(), Out.end(),
                        [](const Diagnostic *A, const Diagnostic *B) {
                          return sameFinding(*A, *B);
                        }),
            Out.end());
  return Out;
}

std::string displayPath(llvm::StringRef File, llvm::StringRef SrcRoot) {
  std::string Rel = relativePath(File, SrcRoot);
  return Rel.empty() ? File.str() : Rel;
}

} // namespace chanlint::driver
