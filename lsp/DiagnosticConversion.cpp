#include "DiagnosticConversion.h"

#include "Uri.h"

#include "CheckCatalog.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>

namespace chanlint::lsp {

namespace {

Severity severityOf(driver::Level L) {
  switch (L) {
  case driver::Level::Error:
    return Severity::Error;
  case driver::Level::Warning:
    return Severity::Warning;
  case driver::Level::Remark:
    return Severity::Information;
  }
  return Severity::Warning;
}

LspRange rangeOf(const driver::Location &L) {
  LspRange R{toLspPosition(L.Begin), toLspPosition(L.End)};
  if (R.End < R.Start)
    R.End = R.Start;
  return R;
}

bool isCompilerDiagnostic(llvm::StringRef Check) {
  return Check.starts_with("clang-diagnostic-");
}

class Converter {
public:
  Converter(const std::string &Uri, const std::string &Path) : Uri(Uri), Path(Path) {}

  std::string uriOf(const std::string &File) const {
    return File == Path ? Uri : fileUriFromPath(File);
  }

  json relatedInformation(const driver::Location &Where, const std::string &Message) const {
    return {{"location", {{"uri", uriOf(Where.File)}, {"range", toJson(rangeOf(Where))}}},
            {"message", Message}};
  }

  PublishedDiagnostic convert(const driver::Diagnostic &D) const {
    PublishedDiagnostic Out;
    bool Compiler = isCompilerDiagnostic(D.Check);
    std::string Message = D.Message;
    json Related = json::array();
    if (D.Loc.File == Path) {
      Out.Range = rangeOf(D.highlight()); // as clangd: the range around the anchor
    } else if (!D.Loc.File.empty()) {
      // In an included file: shown at the top of the document, pointing
      // at where it is.
      Message = "In included file " + D.Loc.File + ":" + std::to_string(D.Loc.Begin.Line) +
                ":" + std::to_string(D.Loc.Begin.Column) + ": " + Message;
      Related.push_back(relatedInformation(D.Loc, D.Message));
    }
    for (const driver::Note &N : D.Notes) {
      if (N.Loc.File.empty())
        Message += "\n" + N.Message; // LSP's related information needs a place
      else
        Related.push_back(relatedInformation(N.Loc, N.Message));
    }

    Out.Lsp = {{"range", toJson(Out.Range)},
               {"severity", static_cast<int>(severityOf(D.Severity))},
               {"source", Compiler ? "clang" : "chanlint"},
               {"message", Message}};
    if (D.Check != "clang-diagnostic-error")
      Out.Lsp["code"] = D.Check;
    if (std::optional<CheckId> Id = checkByName(D.Check))
      Out.Lsp["codeDescription"] = {{"href", checkHelpUri(checkInfo(*Id))}};
    if (!Related.empty())
      Out.Lsp["relatedInformation"] = std::move(Related);
    if (!Compiler)
      Out.Check = D.Check;
    Out.Fixes = D.Fixes;
    return Out;
  }

private:
  const std::string &Uri;
  const std::string &Path;
};

} // namespace

LspPosition toLspPosition(const driver::Position &P) {
  return {P.Line > 0 ? P.Line - 1 : 0, P.Utf16Column > 0 ? P.Utf16Column - 1 : 0};
}

std::vector<PublishedDiagnostic> toLspDiagnostics(const driver::TUResult &Result,
                                                  const std::string &Uri,
                                                  const std::string &Path) {
  Converter Convert(Uri, Path);
  std::vector<PublishedDiagnostic> Out;
  std::vector<const driver::Diagnostic *> Seen; // several compile commands repeat findings
  auto Add = [&](const driver::Diagnostic &D) {
    if (std::any_of(Seen.begin(), Seen.end(), [&](const driver::Diagnostic *S) { return *S == D; }))
      return;
    Seen.push_back(&D);
    Out.push_back(Convert.convert(D));
  };

  for (const driver::Diagnostic &D : Result.Diagnostics)
    if (D.Loc.File.empty() || D.Loc.File == Path)
      Add(D);
  // Errors anywhere in the TU: an error in a header breaks this file too.
  for (const driver::Diagnostic &D : Result.CompilerErrors)
    Add(D);

  if (Result.Failed && Result.CompilerErrors.empty()) {
    PublishedDiagnostic Failure;
    Failure.Lsp = {{"range", toJson(Failure.Range)},
                   {"severity", static_cast<int>(Severity::Error)},
                   {"source", "chanlint"},
                   {"message", "chanlint could not analyse this file: " + Result.FailureReason}};
    Out.push_back(std::move(Failure));
  }
  return Out;
}

} // namespace chanlint::lsp
