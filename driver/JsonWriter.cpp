#include "JsonWriter.h"

#include "ResultJson.h"
#include "Version.h"

#include "llvm/ADT/STLExtras.h"

using nlohmann::json;

namespace chanlint::driver {

json makeJsonReport(const Report &R) {
  json TUs = json::array();
  for (const TUResult &T : R.TUs) {
    json Errors = json::array();
    for (const Diagnostic &E : T.CompilerErrors)
      Errors.push_back(toJson(E));
    TUs.push_back({{"file", T.File},
                   {"path", displayPath(T.File, R.SrcRoot)},
                   {"failed", T.Failed},
                   {"failureReason", T.FailureReason},
                   {"timedOut", T.TimedOut},
                   {"compilerErrors", std::move(Errors)}});
  }
  json Findings = json::array();
  for (const Reported &F : R.Findings) {
    json D = toJson(F.Diag);
    D["path"] = displayPath(F.Diag.Loc.File, R.SrcRoot);
    D["fingerprint"] = F.Fingerprint;
    Findings.push_back(std::move(D));
  }
  // Where bounds cut the analysis short: not findings, but findings past
  // them are missing.
  json Bounds = json::array();
  std::vector<BoundNotice> Notices = R.bounds();
  for (const BoundNotice &B : Notices) {
    json J = toJson(B);
    J["path"] = displayPath(B.Loc.File, R.SrcRoot);
    Bounds.push_back(std::move(J));
  }
  return {{"tool", {{"name", "chanlint"}, {"version", ChanlintVersion}}},
          {"srcroot", R.SrcRoot},
          {"exitCode", R.ExitCode},
          {"summary",
           {{"translationUnits", R.TUs.size()},
            {"failed", R.failedTUs().size()},
            {"timedOut", llvm::count_if(R.TUs, [](const TUResult &T) { return T.TimedOut; })},
            {"findings", R.Findings.size()},
            {"suppressedByBaseline", R.SuppressedByBaseline},
            {"outsideDiff", R.OutsideDiff},
            {"cutShortByBound", Notices.size()}}},
          {"translationUnits", std::move(TUs)},
          {"findings", std::move(Findings)},
          {"bounds", std::move(Bounds)}};
}

} // namespace chanlint::driver
