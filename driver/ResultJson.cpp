#include "ResultJson.h"

#include <cstring>

using nlohmann::json;

namespace chanlint::driver {

const char *levelName(Level L) {
  switch (L) {
  case Level::Remark:
    return "remark";
  case Level::Warning:
    return "warning";
  case Level::Error:
    return "error";
  }
  return "warning";
}

bool diagnosticLess(const Diagnostic &A, const Diagnostic &B) {
  return std::tie(A.Loc.File, A.Loc.Begin.Offset, A.Check, A.Message, A.Loc.End.Offset) <
         std::tie(B.Loc.File, B.Loc.Begin.Offset, B.Check, B.Message, B.Loc.End.Offset);
}

bool boundNoticeLess(const BoundNotice &A, const BoundNotice &B) {
  return std::tie(A.Loc.File, A.Loc.Begin.Offset, A.Bound, A.Message, A.Root) <
         std::tie(B.Loc.File, B.Loc.Begin.Offset, B.Bound, B.Message, B.Root);
}

json toJson(const Position &P) {
  return {{"offset", P.Offset}, {"line", P.Line}, {"column", P.Column},
          {"utf16Column", P.Utf16Column}};
}

json toJson(const Location &L) {
  return {{"file", L.File}, {"start", toJson(L.Begin)}, {"end", toJson(L.End)}};
}

json toJson(const SuppressedWarnings &S) {
  return {{"nolint", S.Nolint},
          {"nonUserCode", S.NonUserCode},
          {"lineFilter", S.LineFilter},
          {"checkFilter", S.CheckFilter}};
}

json toJson(const std::vector<Location> &Ranges) {
  json Out = json::array();
  for (const Location &L : Ranges)
    Out.push_back(toJson(L));
  return Out;
}

json toJson(const Diagnostic &D) {
  json Notes = json::array();
  for (const Note &N : D.Notes)
    Notes.push_back({{"location", toJson(N.Loc)},
                     {"message", N.Message},
                     {"onPath", N.OnPath},
                     {"ranges", toJson(N.Ranges)}});
  json Fixes = json::array();
  for (const Replacement &R : D.Fixes)
    Fixes.push_back({{"file", R.File},
                     {"offset", R.offset()},
                     {"length", R.length()},
                     {"replacement", R.Text},
                     {"start", toJson(R.Begin)},
                     {"end", toJson(R.End)}});
  // "location" is the highlighted range (a region, as in SARIF); "anchor"
  // the point clang prints as file:line:col, inside it; "ranges" what
  // clang-tidy reported, which the text marks.
  return {{"check", D.Check},
          {"level", levelName(D.Severity)},
          {"message", D.Message},
          {"location", toJson(D.highlight())},
          {"anchor", toJson(D.Loc.Begin)},
          {"ranges", toJson(D.Ranges)},
          {"notes", std::move(Notes)},
          {"fixes", std::move(Fixes)},
          {"context", D.Context},
          {"lineText", D.LineText}};
}

json toJson(const BoundNotice &B) {
  return {{"bound", B.Bound},
          {"limit", B.Limit},
          {"root", B.Root},
          {"message", B.Message},
          {"location", toJson(B.Loc)}};
}

json toJson(const TUResult &R) {
  json Diags = json::array(), Errors = json::array(), Bounds = json::array();
  for (const Diagnostic &D : R.Diagnostics)
    Diags.push_back(toJson(D));
  for (const Diagnostic &D : R.CompilerErrors)
    Errors.push_back(toJson(D));
  for (const BoundNotice &B : R.Bounds)
    Bounds.push_back(toJson(B));
  return {{"file", R.File},
          {"buildDirectory", R.BuildDirectory},
          {"failed", R.Failed},
          {"failureReason", R.FailureReason},
          {"diagnostics", std::move(Diags)},
          {"compilerErrors", std::move(Errors)},
          {"suppressed", toJson(R.Suppressed)},
          {"bounds", std::move(Bounds)}};
}

namespace {

// Reading never throws: a damaged cache entry is a miss, not a crash.
bool read(const json &J, Position &P) {
  if (!J.is_object())
    return false;
  P.Offset = J.value("offset", 0u);
  P.Line = J.value("line", 0u);
  P.Column = J.value("column", 0u);
  P.Utf16Column = J.value("utf16Column", 0u);
  return true;
}

bool read(const json &J, Location &L) {
  if (!J.is_object() || !J.contains("start") || !J.contains("end"))
    return false;
  L.File = J.value("file", "");
  return read(J["start"], L.Begin) && read(J["end"], L.End);
}

bool read(const json &J, std::vector<Location> &Ranges) {
  if (!J.is_array())
    return false;
  for (const json &R : J) {
    Location L;
    if (!read(R, L))
      return false;
    Ranges.push_back(std::move(L));
  }
  return true;
}

std::optional<Level> levelFromName(const std::string &S) {
  for (Level L : {Level::Remark, Level::Warning, Level::Error})
    if (S == levelName(L))
      return L;
  return std::nullopt;
}

} // namespace

namespace {
std::optional<Diagnostic> diagnosticImpl(const json &J) {
  if (!J.is_object() || !J.contains("location"))
    return std::nullopt;
  Diagnostic D;
  D.Check = J.value("check", "");
  auto L = levelFromName(J.value("level", ""));
  if (!L || D.Check.empty())
    return std::nullopt;
  D.Severity = *L;
  D.Message = J.value("message", "");
  D.Context = J.value("context", "");
  D.LineText = J.value("lineText", "");
  if (!read(J["location"], D.Loc))
    return std::nullopt;
  if (auto Anchor = J.find("anchor"); Anchor != J.end() && !read(*Anchor, D.Loc.Begin))
    return std::nullopt;
  if (!read(J.value("ranges", json::array()), D.Ranges))
    return std::nullopt;
  for (const json &N : J.value("notes", json::array())) {
    Note Out;
    if (!N.is_object() || !N.contains("location") || !read(N["location"], Out.Loc) ||
        !read(N.value("ranges", json::array()), Out.Ranges))
      return std::nullopt;
    Out.Message = N.value("message", "");
    Out.OnPath = N.value("onPath", false);
    D.Notes.push_back(std::move(Out));
  }
  for (const json &F : J.value("fixes", json::array())) {
    Replacement R;
    if (!F.is_object() || !F.contains("start") || !F.contains("end") ||
        !read(F["start"], R.Begin) || !read(F["end"], R.End))
      return std::nullopt;
    R.File = F.value("file", "");
    R.Text = F.value("replacement", "");
    D.Fixes.push_back(std::move(R));
  }
  return D;
}

std::optional<TUResult> tuResultImpl(const json &J) {
  if (!J.is_object())
    return std::nullopt;
  TUResult R;
  R.File = J.value("file", "");
  R.BuildDirectory = J.value("buildDirectory", "");
  R.Failed = J.value("failed", false);
  R.FailureReason = J.value("failureReason", "");
  if (auto S = J.find("suppressed"); S != J.end() && S->is_object()) {
    R.Suppressed.Nolint = S->value("nolint", 0u);
    R.Suppressed.NonUserCode = S->value("nonUserCode", 0u);
    R.Suppressed.LineFilter = S->value("lineFilter", 0u);
    R.Suppressed.CheckFilter = S->value("checkFilter", 0u);
  }
  for (const json &D : J.value("diagnostics", json::array())) {
    auto Diag = diagnosticImpl(D);
    if (!Diag)
      return std::nullopt;
    R.Diagnostics.push_back(std::move(*Diag));
  }
  for (const json &D : J.value("compilerErrors", json::array())) {
    auto Diag = diagnosticImpl(D);
    if (!Diag)
      return std::nullopt;
    R.CompilerErrors.push_back(std::move(*Diag));
  }
  for (const json &B : J.value("bounds", json::array())) {
    BoundNotice Out;
    if (!B.is_object() || !B.contains("location") || !read(B["location"], Out.Loc))
      return std::nullopt;
    Out.Bound = B.value("bound", "");
    Out.Limit = B.value("limit", 0u);
    Out.Root = B.value("root", "");
    Out.Message = B.value("message", "");
    R.Bounds.push_back(std::move(Out));
  }
  return R;
}
} // namespace

// A value of the wrong type throws in nlohmann::json; to callers, that is
// just input of the wrong shape.
std::optional<Diagnostic> diagnosticFromJson(const json &J) {
  try {
    return diagnosticImpl(J);
  } catch (const json::exception &) {
    return std::nullopt;
  }
}

std::optional<TUResult> tuResultFromJson(const json &J) {
  try {
    return tuResultImpl(J);
  } catch (const json::exception &) {
    return std::nullopt;
  }
}

} // namespace chanlint::driver
