#include "AnalyzerFacts.h"

#include "SourceText.h"

#include "CheckCatalog.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"

namespace chanlint::driver {

AnalyzerFacts::AnalyzerFacts()
    : Observer([this](const TUAnalysis &A, clang::ASTContext &Ctx) { record(A, Ctx); }) {
  Previous = TUAnalysis::observeOnThisThread(&Observer);
}

AnalyzerFacts::~AnalyzerFacts() { TUAnalysis::observeOnThisThread(Previous); }

void AnalyzerFacts::record(const TUAnalysis &A, clang::ASTContext &Ctx) {
  const clang::SourceManager &SM = Ctx.getSourceManager();
  for (const Finding &F : A.findings()) {
    // Where clang-tidy reports a diagnostic: the file location of its anchor.
    clang::SourceLocation Loc = SM.getFileLoc(F.Loc);
    if (Loc.isInvalid())
      continue;
    llvm::SmallString<256> Path(SM.getFilename(Loc));
    SM.getFileManager().makeAbsolutePath(Path);
    Facts &Out = ByAnchor[{checkInfo(F.Check).Name.str(), normalizePath(Path),
                           SM.getFileOffset(Loc)}];
    Out.Function = F.Function;
    Out.Notes.clear();
    for (const FindingNote &N : F.Notes)
      Out.Notes.push_back({N.Message, N.OnPath});
  }
  for (const BoundHit &B : A.boundHits()) {
    Bound Out{B, "", 0};
    clang::SourceLocation Loc = SM.getFileLoc(B.Loc);
    if (Loc.isValid()) {
      llvm::SmallString<256> Path(SM.getFilename(Loc));
      SM.getFileManager().makeAbsolutePath(Path);
      Out.File = normalizePath(Path);
      Out.Offset = SM.getFileOffset(Loc);
    }
    Bounds.push_back(std::move(Out));
  }
}

std::vector<bool>
AnalyzerFacts::Facts::onPath(llvm::ArrayRef<std::string> Reported) const {
  std::vector<bool> Out;
  size_t Next = 0;
  for (const std::string &Message : Reported) {
    if (Next < Notes.size() && Notes[Next].Message == Message) {
      Out.push_back(Notes[Next++].OnPath);
      continue;
    }
    Out.push_back(false); // clang's own note about the previous one
  }
  return Out;
}

const AnalyzerFacts::Facts *AnalyzerFacts::lookup(llvm::StringRef Check,
                                                  llvm::StringRef File,
                                                  unsigned Offset) const {
  auto It = ByAnchor.find({Check.str(), File.str(), Offset});
  return It == ByAnchor.end() ? nullptr : &It->second;
}

} // namespace chanlint::driver
