#include "SarifWriter.h"

#include "CheckCatalog.h"
#include "Fingerprint.h"
#include "Version.h"

#include "llvm/ADT/StringExtras.h"

#include <map>

using nlohmann::json;

namespace chanlint::driver {

std::string encodeUriPath(llvm::StringRef Path) {
  std::string Out;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("-._~/!$&'()*+,;=:@").contains(C)) {
      Out += C;
    } else {
      Out += '%';
      Out += llvm::hexdigit(C >> 4, false);
      Out += llvm::hexdigit(C & 15, false);
    }
  }
  return Out;
}

std::string fileUri(llvm::StringRef Path, bool Directory) {
  std::string Uri = "file://" + encodeUriPath(Path);
  if (Directory && !llvm::StringRef(Uri).ends_with("/"))
    Uri += '/';
  return Uri;
}

namespace {

/// SARIF wants messages to be sentences.
std::string sentence(llvm::StringRef Text) {
  std::string S = Text.trim().str();
  if (!S.empty() && !llvm::StringRef(".!?").contains(S.back()))
    S += '.';
  return S;
}

const char *sarifLevel(Level L) {
  switch (L) {
  case Level::Remark:
    return "note";
  case Level::Warning:
    return "warning";
  case Level::Error:
    return "error";
  }
  return "warning";
}

/// "chan-receiver-close" -> "ChanReceiverClose": SARIF's rule name is an
/// identifier-like friendly name, distinct from the id.
std::string pascalCase(llvm::StringRef Id) {
  std::string Out;
  bool Upper = true;
  for (char C : Id) {
    if (!llvm::isAlnum(C)) {
      Upper = true;
      continue;
    }
    Out += Upper ? llvm::toUpper(C) : C;
    Upper = false;
  }
  return Out;
}

/// A rule's help, as text and as markdown: the full description (which
/// already states the Go principle behind the check, so it is not repeated),
/// the check's options, and where its page is.
json ruleHelp(const CheckInfo &C, const std::string &Uri) {
  std::string Text = sentence(C.FullDescription);
  std::string Markdown = Text;
  if (!C.Options.empty()) {
    Text += " Options (CheckOptions):";
    Markdown += "\n\nOptions (`CheckOptions` in `.clang-tidy`):\n";
    for (const CheckOption &O : C.Options) {
      std::string Name = (C.Name + "." + O.Name).str();
      std::string Default = O.Default ? "true" : "false";
      Text += " " + Name + " (default " + Default + "): " + sentence(O.Description);
      Markdown += "\n- `" + Name + "` (default `" + Default + "`): " + sentence(O.Description);
    }
  }
  Text += " Examples and fixes: " + Uri;
  Markdown += "\n\nExamples and fixes: [" + C.Name.str() + "](" + Uri + ").";
  return {{"text", Text}, {"markdown", Markdown}};
}

class Writer {
public:
  explicit Writer(const Report &R) : R(R) {}

  json run() {
    json Driver = driver(); // first: it numbers the rules results point at
    json Results = json::array();
    for (const Reported &F : R.Findings)
      Results.push_back(result(F));
    json Run = {
        {"tool", {{"driver", std::move(Driver)}}},
        {"invocations", json::array({invocation()})},
        {"originalUriBaseIds",
         {{"SRCROOT",
           {{"uri", fileUri(R.SrcRoot, /*Directory=*/true)},
            {"description", {{"text", "The root of the analysed sources."}}}}}}},
        {"columnKind", "utf16CodeUnits"},
        {"results", std::move(Results)},
    };
    return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs", json::array({std::move(Run)})}};
  }

private:
  json driver() {
    json Rules = json::array();
    for (const CheckInfo &C : allChecks()) {
      RuleIndex[C.Name.str()] = Rules.size();
      std::string Uri = checkHelpUri(C);
      Rules.push_back(
          {{"id", C.Name},
           {"name", pascalCase(C.Name)},
           {"shortDescription", {{"text", sentence(C.ShortDescription)}}},
           {"fullDescription", {{"text", sentence(C.FullDescription)}}},
           {"help", ruleHelp(C, Uri)},
           {"helpUri", Uri},
           {"defaultConfiguration", {{"level", "warning"}}},
           {"properties",
            {{"tags", json::array({"concurrency", "correctness", "channels"})},
             {"precision", C.Precision},
             {"problem.severity", "warning"}}}});
    }
    // Checks outside the catalog (clang-diagnostic-*, or another module's
    // check enabled by configuration) still need a rule to point at.
    for (const Reported &F : R.Findings) {
      const std::string &Id = F.Diag.Check;
      if (RuleIndex.count(Id))
        continue;
      RuleIndex[Id] = Rules.size();
      std::string Text = "Diagnostics reported under " + Id + ".";
      Rules.push_back({{"id", Id},
                       {"name", pascalCase(Id)},
                       {"shortDescription", {{"text", Text}}},
                       {"fullDescription", {{"text", Text}}},
                       {"help", {{"text", Text}, {"markdown", Text}}},
                       {"defaultConfiguration", {{"level", "warning"}}},
                       {"properties", {{"tags", json::array({"clang"})},
                                       {"problem.severity", "warning"}}}});
    }
    return {{"name", "chanlint"},
            {"fullName", std::string("chanlint ") + ChanlintVersion},
            {"version", ChanlintVersion},
            {"semanticVersion", ChanlintVersion},
            {"informationUri", ChanlintRepositoryUrl},
            {"rules", std::move(Rules)}};
  }

  json artifactLocation(llvm::StringRef File) {
    std::string Rel = relativePath(File, R.SrcRoot);
    if (Rel.empty())
      return {{"uri", fileUri(File)}};
    return {{"uri", encodeUriPath(Rel)}, {"uriBaseId", "SRCROOT"}};
  }

  static json region(const Position &B, const Position &E) {
    return {{"startLine", B.Line},
            {"startColumn", B.Utf16Column},
            {"endLine", E.Line},
            {"endColumn", E.Utf16Column}};
  }

  json physicalLocation(const Location &L) {
    if (L.File.empty())
      return json::object();
    json P = {{"artifactLocation", artifactLocation(L.File)}};
    if (L.Begin.Line)
      P["region"] = region(L.Begin, L.End);
    return P;
  }

  /// The result's location: the highlighted range (clang's ranges are
  /// SARIF's regions; a ticker's whole declaration, not only its name).
  json anchorLocation(const Diagnostic &D) {
    Location L = D.highlight();
    json P = physicalLocation(L);
    // The anchor's line as context: viewers show it without the sources.
    // Only for a region on that line: a context must contain its region
    // (SARIF1008), and a multi-line region (a loop, a select over several
    // lines) is wider than the one line we have.
    if (P.contains("region") && !D.LineText.empty() && L.Begin.Line == D.Loc.Begin.Line &&
        L.Begin.Line == L.End.Line) {
      P["contextRegion"] = {{"startLine", L.Begin.Line},
                            {"endLine", L.Begin.Line},
                            {"snippet", {{"text", D.LineText}}}};
      if (L.End.Column >= L.Begin.Column)
        P["region"]["snippet"] = {
            {"text", llvm::StringRef(D.LineText)
                         .substr(L.Begin.Column - 1, L.End.Column - L.Begin.Column)
                         .str()}};
    }
    json Loc = {{"physicalLocation", std::move(P)}};
    if (!D.Context.empty())
      Loc["logicalLocations"] =
          json::array({{{"fullyQualifiedName", D.Context}, {"kind", "function"}}});
    return Loc;
  }

  json result(const Reported &F) {
    const Diagnostic &D = F.Diag;
    json Res = {{"ruleId", D.Check},
                {"ruleIndex", RuleIndex.at(D.Check)},
                {"level", sarifLevel(D.Severity)},
                {"message", {{"text", sentence(D.Message)}}},
                {"locations", json::array({anchorLocation(D)})},
                {"partialFingerprints", {{FingerprintKey, F.Fingerprint}}}};

    json Related = json::array();
    json Flow = json::array();
    for (size_t I = 0; I < D.Notes.size(); ++I) {
      const Note &N = D.Notes[I];
      if (N.Loc.File.empty())
        continue;
      Related.push_back({{"id", I + 1},
                         {"physicalLocation", physicalLocation(N.Loc)},
                         {"message", {{"text", sentence(N.Message)}}}});
      if (N.OnPath)
        Flow.push_back({{"location",
                         {{"physicalLocation", physicalLocation(N.Loc)},
                          {"message", {{"text", sentence(N.Message)}}}}}});
    }
    if (!Related.empty())
      Res["relatedLocations"] = std::move(Related);
    if (!Flow.empty()) {
      // The path starts at the anchor; the notes on the path follow.
      json First = {{"location",
                     {{"physicalLocation", physicalLocation(D.highlight())},
                      {"message", {{"text", sentence(D.Message)}}}}}};
      Flow.insert(Flow.begin(), std::move(First));
      Res["codeFlows"] = json::array({{{"threadFlows", json::array({{{"locations", Flow}}})}}});
    }
    if (!D.Fixes.empty())
      Res["fixes"] = json::array({fix(D)});
    return Res;
  }

  json fix(const Diagnostic &D) {
    // One artifactChange per file, its replacements in file order.
    std::map<std::string, json> ByFile;
    for (const Replacement &Rep : D.Fixes) {
      json &Change = ByFile[Rep.File];
      if (Change.is_null())
        Change = {{"artifactLocation", artifactLocation(Rep.File)},
                  {"replacements", json::array()}};
      Change["replacements"].push_back({{"deletedRegion", region(Rep.Begin, Rep.End)},
                                        {"insertedContent", {{"text", Rep.Text}}}});
    }
    json Changes = json::array();
    for (auto &[File, Change] : ByFile)
      Changes.push_back(std::move(Change));
    return {{"description", {{"text", "Apply the fix-it of " + D.Check + "."}}},
            {"artifactChanges", std::move(Changes)}};
  }

  json invocation() {
    json Notifications = json::array();
    for (const TUResult *T : R.failedTUs()) {
      std::string Text = (T->TimedOut ? "Gave up on " : "Could not analyse ") +
                         displayPath(T->File, R.SrcRoot) + ": " + T->FailureReason;
      json N = {{"level", "error"},
                {"descriptor",
                 {{"id", T->TimedOut ? "chanlint.tu-time-limit" : "chanlint.tu-failed"}}},
                {"message", {{"text", ""}}}};
      Location Where;
      Where.File = T->File;
      if (!T->CompilerErrors.empty()) {
        const Diagnostic &E = T->CompilerErrors.front();
        Text += "; first error: " + E.Message;
        if (!E.Loc.File.empty())
          Where = E.Loc;
      }
      N["message"]["text"] = sentence(Text);
      N["locations"] = json::array({{{"physicalLocation", physicalLocation(Where)}}});
      Notifications.push_back(std::move(N));
    }
    // Where a bound cut the analysis short: findings past it are missing.
    for (const BoundNotice &B : R.bounds()) {
      json N = {{"level", "warning"},
                {"descriptor", {{"id", "chanlint.bound." + B.Bound}}},
                {"message", {{"text", sentence(B.Message)}}},
                {"properties", {{"bound", B.Bound}, {"limit", B.Limit}}}};
      if (!B.Loc.File.empty()) {
        json Where = {{"physicalLocation", physicalLocation(B.Loc)}};
        if (!B.Root.empty())
          Where["logicalLocations"] = json::array({{{"fullyQualifiedName", B.Root}}});
        N["locations"] = json::array({std::move(Where)});
      }
      Notifications.push_back(std::move(N));
    }
    json Inv = {{"executionSuccessful", R.ExitCode == 0 || R.ExitCode == 1},
                {"exitCode", R.ExitCode}};
    if (!Notifications.empty())
      Inv["toolExecutionNotifications"] = std::move(Notifications);
    return Inv;
  }

  const Report &R;
  std::map<std::string, size_t> RuleIndex;
};

} // namespace

nlohmann::json makeSarif(const Report &R) { return Writer(R).run(); }

} // namespace chanlint::driver
