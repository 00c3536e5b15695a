#include "FindingContext.h"

#include "clang/AST/DeclCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace chanlint {

FindingContext::FindingContext(ASTContext &Ctx,
                               llvm::ArrayRef<const FunctionDecl *> Bodies)
    : SM(Ctx.getSourceManager()) {
  for (const FunctionDecl *F : Bodies) {
    // A lambda is not a name a reader recognises: its enclosing function
    // is. An instantiation is named as written, by its template.
    if (const auto *M = dyn_cast<CXXMethodDecl>(F); M && M->getParent()->isLambda())
      continue;
    if (const FunctionDecl *Pattern = F->getTemplateInstantiationPattern())
      F = Pattern;
    SourceLocation B = SM.getExpansionLoc(F->getBeginLoc());
    SourceLocation E = SM.getExpansionLoc(F->getEndLoc());
    FileID File = SM.getFileID(B);
    if (File != SM.getFileID(E))
      continue;
    Spans[File].push_back(
        {SM.getFileOffset(B), SM.getFileOffset(E), F->getQualifiedNameAsString()});
  }
}

std::string FindingContext::functionAt(SourceLocation Loc) const {
  SourceLocation L = SM.getFileLoc(Loc);
  auto It = Spans.find(SM.getFileID(L));
  if (It == Spans.end())
    return "";
  unsigned Offset = SM.getFileOffset(L);
  const Span *Best = nullptr;
  for (const Span &S : It->second)
    if (S.Begin <= Offset && Offset <= S.End &&
        (!Best || S.End - S.Begin < Best->End - Best->Begin))
      Best = &S;
  return Best ? Best->Name : "";
}

bool FindingContext::editsOwnText(const FixItHint &H) const {
  for (SourceLocation L : {H.RemoveRange.getBegin(), H.RemoveRange.getEnd()})
    if (L.isValid() && (L.isMacroID() || SM.isInSystemHeader(L)))
      return false;
  return true;
}

void FindingContext::complete(Finding &F) const {
  F.Function = functionAt(F.Loc);
  for (const FixItHint &H : F.Fixes)
    if (!editsOwnText(H)) {
      F.Fixes.clear(); // the edits of a fix-it belong together
      break;
    }
}

} // namespace chanlint
