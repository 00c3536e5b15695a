#include "TextWriter.h"

#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Basic/FileManager.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Frontend/TextDiagnosticPrinter.h"

#include <algorithm>
#include <iterator>

using namespace clang;

namespace chanlint::driver {

namespace {

class Renderer {
public:
  Renderer(llvm::raw_ostream &OS, bool Color,
           llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS)
      : Files(FileSystemOptions(), std::move(FS)), Opts(new DiagnosticOptions()),
        Printer(OS, Opts.get()), Diags(new DiagnosticIDs(), Opts, &Printer, false),
        SM(Diags, Files) {
    Opts->ShowColors = Color;
    OS.enable_colors(Color);
    Printer.BeginSourceFile(LangOpts, nullptr);
  }
  ~Renderer() { Printer.EndSourceFile(); }

  void render(const Diagnostic &D) {
    {
      auto B = Diags.Report(location(D.Loc.File, D.Loc.Begin.Offset),
                            Diags.getCustomDiagID(engineLevel(D.Severity), "%0 [%1]"))
               << D.Message << D.Check;
      // clang-tidy's ranges, as its reporter passes them on.
      for (const Location &L : D.Ranges)
        if (CharSourceRange R = range(L.File, L.Begin.Offset, L.End.Offset); R.isValid())
          B << R;
      for (const Replacement &F : D.Fixes)
        if (CharSourceRange R = range(F.File, F.Begin.Offset, F.End.Offset); R.isValid())
          B << FixItHint::CreateReplacement(R, F.Text);
    }
    for (const Note &N : D.Notes) {
      auto B = Diags.Report(location(N.Loc.File, N.Loc.Begin.Offset),
                            Diags.getCustomDiagID(DiagnosticsEngine::Note, "%0"))
               << N.Message;
      for (const Location &L : N.Ranges)
        if (CharSourceRange R = range(L.File, L.Begin.Offset, L.End.Offset); R.isValid())
          B << R;
    }
  }

private:
  static DiagnosticsEngine::Level engineLevel(Level L) {
    switch (L) {
    case Level::Remark:
      return DiagnosticsEngine::Remark;
    case Level::Warning:
      return DiagnosticsEngine::Warning;
    case Level::Error:
      return DiagnosticsEngine::Error;
    }
    return DiagnosticsEngine::Warning;
  }

  SourceLocation location(llvm::StringRef File, unsigned Offset) {
    if (File.empty())
      return {};
    auto Entry = Files.getOptionalFileRef(File);
    if (!Entry)
      return {};
    FileID ID = SM.getOrCreateFileID(*Entry, SrcMgr::C_User);
    auto Size = SM.getBufferDataOrNone(ID);
    if (!Size || Offset > Size->size())
      return {};
    return SM.getLocForStartOfFile(ID).getLocWithOffset(Offset);
  }

  CharSourceRange range(llvm::StringRef File, unsigned Begin, unsigned End) {
    SourceLocation B = location(File, Begin), E = location(File, End);
    if (B.isInvalid() || E.isInvalid())
      return {};
    return CharSourceRange::getCharRange(B, E);
  }

  FileManager Files;
  llvm::IntrusiveRefCntPtr<DiagnosticOptions> Opts;
  TextDiagnosticPrinter Printer;
  DiagnosticsEngine Diags;
  SourceManager SM;
  LangOptions LangOpts;
};

} // namespace

void writeText(llvm::raw_ostream &OS, const Report &R, bool Color,
               llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS) {
  // Compiler errors and findings, merged in source order; both lists are
  // sorted already, and a finding never equals an error (their checks
  // differ), so the merge is deterministic.
  std::vector<const Diagnostic *> Errors = R.compilerErrors();
  std::vector<const Diagnostic *> Findings;
  for (const Reported &F : R.Findings)
    Findings.push_back(&F.Diag);
  std::vector<const Diagnostic *> All;
  std::merge(Errors.begin(), Errors.end(), Findings.begin(), Findings.end(),
             std::back_inserter(All), [](const Diagnostic *A, const Diagnostic *B) {
               return diagnosticLess(*A, *B);
             });
  {
    // The printer ends its last line when the source file ends.
    Renderer Render(OS, Color, std::move(FS));
    for (const Diagnostic *D : All)
      Render.render(*D);
  }
  OS.flush();
}

std::string suppressedWarningsText(const SuppressedWarnings &S) {
  if (!S.total())
    return "";
  // The order and words of clang-tidy's printStats.
  std::string Text = "Suppressed " + std::to_string(S.total()) + " warnings (";
  llvm::StringRef Separator = "";
  auto Add = [&](unsigned N, llvm::StringRef What) {
    if (!N)
      return;
    Text += Separator.str() + std::to_string(N) + " " + What.str();
    Separator = ", ";
  };
  Add(S.NonUserCode, "in non-user code");
  Add(S.LineFilter, "due to line filter");
  Add(S.Nolint, "NOLINT");
  Add(S.CheckFilter, "with check filters");
  Text += ").\n";
  if (S.NonUserCode)
    Text += "Use -header-filter=.* to display errors from all non-system headers. Use "
            "-system-headers to display errors from system headers as well.\n";
  return Text;
}

} // namespace chanlint::driver
