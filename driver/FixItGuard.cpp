#include "FixItGuard.h"

#include "SourceText.h"

#include "clang/Basic/SourceManager.h"

namespace chanlint::driver {

void FixItGuard::HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                                  const clang::Diagnostic &Info) {
  if (Info.getNumFixItHints() != 0 && Info.hasSourceManager() &&
      Info.getLocation().isValid()) {
    const clang::SourceManager &SM = Info.getSourceManager();
    bool Bad = false;
    for (const clang::FixItHint &H : Info.getFixItHints()) {
      for (clang::SourceLocation L :
           {H.RemoveRange.getBegin(), H.RemoveRange.getEnd()}) {
        if (L.isInvalid())
          continue;
        if (L.isMacroID() || SM.isInSystemHeader(L))
          Bad = true;
      }
    }
    if (Bad) {
      // clang-tidy reports the diagnostic at its file location: key on it.
      clang::SourceLocation Loc = SM.getFileLoc(Info.getLocation());
      llvm::SmallString<256> Path(SM.getFilename(Loc));
      SM.getFileManager().makeAbsolutePath(Path);
      Unsafe.insert({normalizePath(Path), SM.getFileOffset(Loc)});
    }
  }
  ForwardingDiagnosticConsumer::HandleDiagnostic(Level, Info);
}

} // namespace chanlint::driver
