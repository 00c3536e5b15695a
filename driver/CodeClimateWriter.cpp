#include "CodeClimateWriter.h"

using nlohmann::json;

namespace chanlint::driver {

namespace {

// Code Climate's scale: info, minor, major, critical, blocker.
const char *severity(Level L) {
  switch (L) {
  case Level::Remark:
    return "info";
  case Level::Warning:
    return "major";
  case Level::Error:
    return "critical";
  }
  return "major";
}

} // namespace

json makeCodeClimate(const Report &R) {
  json Issues = json::array();
  for (const Reported &F : R.Findings) {
    const Diagnostic &D = F.Diag;
    std::string Body;
    for (const Note &N : D.Notes)
      Body += "- " + displayPath(N.Loc.File, R.SrcRoot) + ":" + std::to_string(N.Loc.Begin.Line) +
              ": " + N.Message + "\n";
    json Issue = {{"type", "issue"},
                  {"engine_name", "chanlint"},
                  {"check_name", D.Check},
                  {"description", D.Message},
                  {"categories", json::array({"Bug Risk"})},
                  {"severity", severity(D.Severity)},
                  {"fingerprint", F.Fingerprint},
                  {"location",
                   {{"path", displayPath(D.Loc.File, R.SrcRoot)},
                    {"lines", {{"begin", D.highlight().Begin.Line}, {"end", D.Loc.End.Line}}}}}};
    if (!Body.empty())
      Issue["content"] = {{"body", Body}};
    Issues.push_back(std::move(Issue));
  }
  return Issues;
}

} // namespace chanlint::driver
