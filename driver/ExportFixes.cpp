#include "ExportFixes.h"

#include "clang/Tooling/Core/Diagnostic.h"
#include "clang/Tooling/DiagnosticsYaml.h"

#include "llvm/Support/YAMLTraits.h"

namespace chanlint::driver {

namespace {

clang::tooling::Diagnostic::Level toolingLevel(Level L) {
  switch (L) {
  case Level::Remark:
    return clang::tooling::Diagnostic::Remark;
  case Level::Warning:
    return clang::tooling::Diagnostic::Warning;
  case Level::Error:
    return clang::tooling::Diagnostic::Error;
  }
  return clang::tooling::Diagnostic::Warning;
}

/// As clang-tidy exports a message: at the anchor, with the ranges it
/// reported (which may start before the anchor).
clang::tooling::DiagnosticMessage message(const std::string &Text, const Location &Anchor,
                                          const std::vector<Location> &Ranges) {
  clang::tooling::DiagnosticMessage M;
  M.Message = Text;
  M.FilePath = Anchor.File;
  M.FileOffset = Anchor.Begin.Offset;
  for (const Location &L : Ranges) {
    clang::tooling::FileByteRange R;
    R.FilePath = L.File;
    R.FileOffset = L.Begin.Offset;
    R.Length = L.End.Offset - L.Begin.Offset;
    M.Ranges.push_back(R);
  }
  return M;
}

} // namespace

std::string exportFixesYaml(const Report &R, llvm::StringRef MainSourceFile) {
  clang::tooling::TranslationUnitDiagnostics TUD;
  TUD.MainSourceFile = MainSourceFile.str();
  for (const Reported &F : R.Findings) {
    const Diagnostic &D = F.Diag;
    clang::tooling::Diagnostic Out;
    Out.DiagnosticName = D.Check;
    Out.DiagLevel = toolingLevel(D.Severity);
    Out.BuildDirectory = F.BuildDirectory;
    Out.Message = message(D.Message, D.Loc, D.Ranges);
    for (const Replacement &Rep : D.Fixes) {
      // Replacements of one diagnostic never overlap (clang-tidy removes
      // those), so add() does not fail; if it did, export no partial fix.
      if (llvm::Error E = Out.Message.Fix[Rep.File].add(clang::tooling::Replacement(
              Rep.File, Rep.offset(), Rep.length(), Rep.Text))) {
        llvm::consumeError(std::move(E));
        Out.Message.Fix.clear();
        break;
      }
    }
    for (const Note &N : D.Notes)
      Out.Notes.push_back(message(N.Message, N.Loc, N.Ranges));
    TUD.Diagnostics.push_back(std::move(Out));
  }
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  llvm::yaml::Output YAML(OS);
  YAML << TUD;
  OS.flush();
  return Text;
}

} // namespace chanlint::driver
