#include "FunctionContexts.h"

#include "SourceText.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace chanlint::driver {

namespace {

class Collector : public RecursiveASTVisitor<Collector> {
public:
  Collector(ASTContext &Ctx, FunctionContexts &Out) : SM(Ctx.getSourceManager()), Out(Out) {}

  bool TraverseDecl(Decl *D) {
    // The standard library alone has tens of thousands of functions; no
    // finding is reported there.
    if (D && !isa<TranslationUnitDecl>(D) && D->getLocation().isValid() &&
        SM.isInSystemHeader(SM.getExpansionLoc(D->getLocation())))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (!FD->doesThisDeclarationHaveABody())
      return true;
    // A lambda is not a name a reader recognises: its enclosing function is.
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda())
      return true;
    SourceLocation B = SM.getExpansionLoc(FD->getBeginLoc());
    SourceLocation E = SM.getExpansionLoc(FD->getEndLoc());
    FileID FID = SM.getFileID(B);
    if (FID != SM.getFileID(E))
      return true;
    OptionalFileEntryRef F = SM.getFileEntryRefForID(FID);
    if (!F)
      return true;
    llvm::SmallString<256> Path(F->getName());
    SM.getFileManager().makeAbsolutePath(Path);
    Out.add(normalizePath(Path), {SM.getFileOffset(B), SM.getFileOffset(E),
                                  FD->getQualifiedNameAsString()});
    return true;
  }

private:
  SourceManager &SM;
  FunctionContexts &Out;
};

class Consumer : public ASTConsumer {
public:
  explicit Consumer(FunctionContexts &Out) : Out(Out) {}
  void HandleTranslationUnit(ASTContext &Ctx) override {
    Collector(Ctx, Out).TraverseDecl(Ctx.getTranslationUnitDecl());
  }

private:
  FunctionContexts &Out;
};

} // namespace

std::unique_ptr<ASTConsumer> FunctionContexts::makeConsumer() {
  return std::make_unique<Consumer>(*this);
}

std::string FunctionContexts::lookup(llvm::StringRef File, unsigned Offset) const {
  auto It = Spans.find(File);
  if (It == Spans.end())
    return "";
  const Span *Best = nullptr;
  for (const Span &S : It->second)
    if (S.Begin <= Offset && Offset <= S.End &&
        (!Best || S.End - S.Begin < Best->End - Best->Begin))
      Best = &S;
  return Best ? Best->Name : "";
}

} // namespace chanlint::driver
