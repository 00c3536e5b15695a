#include "ChannelTouch.h"

#include "PhaseTimes.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace clang;

namespace chanlint {

namespace {

/// The destructor a local of type T runs at its scope exit, if user code
/// may define one (OpRecognizer::recognizeScopeExit makes it a call).
const FunctionDecl *destructorOf(QualType T) {
  const auto *RD = T->getAsCXXRecordDecl();
  return RD && RD->hasDefinition() ? RD->getDestructor() : nullptr;
}

void appendTypeArguments(llvm::ArrayRef<TemplateArgument> Args,
                         ReachMemo<const Type *>::Successors &Out) {
  for (const TemplateArgument &A : Args) {
    if (A.getKind() == TemplateArgument::Pack)
      appendTypeArguments(A.pack_elements(), Out);
    else if (A.getKind() == TemplateArgument::Type)
      Out.push_back(A.getAsType().getCanonicalType().getTypePtr());
  }
}

} // namespace

bool ChannelTouch::mentionsHandle(QualType T) {
  if (T.isNull())
    return false;
  // A superset of ApiIndex::isTracked (a role, a library container of
  // handles, a user class holding one), without its caches: what the
  // analysis asks the index, and in which order, stays as it was.
  auto Expand = [&](const Type *Ty, ReachMemo<const Type *>::Successors &Parts) {
    if (Api.roleOf(QualType(Ty, 0)) != TypeRole::None)
      return true;
    if (QualType Pointee = Ty->getPointeeType(); !Pointee.isNull())
      Parts.push_back(Pointee.getCanonicalType().getTypePtr());
    if (const auto *A = dyn_cast<ArrayType>(Ty))
      Parts.push_back(A->getElementType().getCanonicalType().getTypePtr());
    const CXXRecordDecl *RD = Ty->getAsCXXRecordDecl();
    // Template arguments: vector<Chan<int>>, optional<Worker>, a user
    // template, or one written in a template (`Chan<T>`).
    if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(RD))
      appendTypeArguments(Spec->getTemplateArgs().asArray(), Parts);
    else if (const auto *TST = dyn_cast<TemplateSpecializationType>(Ty))
      appendTypeArguments(TST->template_arguments(), Parts);
    // Members of user classes; a closure's captures are seen where it is
    // made, a library class's members are not the user's.
    if (RD && RD->hasDefinition() && !RD->isLambda() && !Api.isLibraryDecl(RD))
      for (const FieldDecl *F : RD->getDefinition()->fields())
        Parts.push_back(F->getType().getCanonicalType().getTypePtr());
    return false;
  };
  return Types.reaches(T.getCanonicalType().getTypePtr(), Expand);
}

bool ChannelTouch::touches(const FunctionDecl *F) {
  if (!Enabled)
    return true;
  const FunctionDecl *Def = R.definitionOf(F);
  if (!Def)
    return false;
  auto Expand = [&](const FunctionDecl *Body,
                    ReachMemo<const FunctionDecl *>::Successors &Runs) {
    const BodyScan &S = scan(Body);
    Runs.append(S.Runs.begin(), S.Runs.end());
    return S.Direct;
  };
  return Functions.reaches(Def, Expand);
}

const ChannelTouch::BodyScan &ChannelTouch::scan(const FunctionDecl *Def) {
  if (auto It = Scans.find(Def); It != Scans.end())
    return It->second;
  // Deciding which functions matter is part of finding them.
  PhaseScope Timed(Phase::Collection);
  BodyScan S = scanBody(Def);
  return Scans.try_emplace(Def, std::move(S)).first->second;
}

ChannelTouch::BodyScan ChannelTouch::scanBody(const FunctionDecl *Def) {
  BodyScan Out;
  auto Names = [&](QualType T) { Out.Direct = Out.Direct || mentionsHandle(T); };
  auto Runs = [&](const FunctionDecl *F) {
    if (F && R.isUserFunction(F))
      Out.Runs.push_back(R.definitionOf(F));
  };
  // A local: its type, and the destructor it runs at its scope exit.
  auto Declares = [&](const VarDecl *V) {
    if (!V)
      return;
    Names(V->getType());
    Runs(destructorOf(V->getType()));
  };
  Names(Def->getReturnType());
  for (const ParmVarDecl *P : Def->parameters())
    Names(P->getType());
  llvm::SmallVector<const Stmt *, 64> Work;
  llvm::SmallPtrSet<const OpaqueValueExpr *, 4> Opened; // shared: once each
  Work.push_back(Def->getBody());
  // The CFG of a constructor runs its initializers, default ones included.
  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Def))
    for (const CXXCtorInitializer *Init : Ctor->inits()) {
      if (const FieldDecl *F = Init->getMember())
        Names(F->getType());
      Work.push_back(Init->getInit());
    }

  while (!Work.empty() && !Out.Direct) {
    const Stmt *S = Work.pop_back_val();
    if (!S)
      continue;
    // `this` alone is no op and no fact: what is done with it has a type
    // of its own (`*this`, the container it goes into, the return type).
    // Counting it would make every method of a class holding a channel
    // touch channels.
    if (const auto *E = dyn_cast<Expr>(S); E && !isa<CXXThisExpr>(E))
      Names(E->getType());

    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      const Expr *Object = nullptr;
      const FunctionDecl *Callee = Call->getDirectCallee();
      if (R.memberRole(Call, &Object) != MethodRole::None ||
          (Callee && (Api.roleOf(Callee) != FunctionRole::None ||
                      Api.spawnerFor(Callee) || Api.isModelledApi(Callee)))) {
        Out.Direct = true;
        break;
      }
      Runs(Callee);
    } else if (const auto *C = dyn_cast<CXXConstructExpr>(S)) {
      if (Api.spawnerForConstruction(C->getType())) {
        Out.Direct = true;
        break;
      }
      Runs(C->getConstructor());
    } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
      for (const Decl *D : DS->decls())
        Declares(dyn_cast<VarDecl>(D));
    } else if (const auto *Catch = dyn_cast<CXXCatchStmt>(S)) {
      Declares(Catch->getExceptionDecl());
    } else if (const auto *L = dyn_cast<LambdaExpr>(S)) {
      // What it captures is evaluated here; its body is the call
      // operator's (each instantiation's, for a generic lambda), which this
      // body holds and may call or hand to a spawner.
      for (const Expr *Init : L->capture_inits())
        Work.push_back(Init);
      const CXXMethodDecl *Op = L->getCallOperator();
      Runs(Op);
      if (const FunctionTemplateDecl *T = Op->getDescribedFunctionTemplate())
        for (const FunctionDecl *Spec : T->specializations())
          Runs(Spec);
      continue;
    } else if (const auto *DA = dyn_cast<CXXDefaultArgExpr>(S)) {
      Work.push_back(DA->getExpr());
    } else if (const auto *DI = dyn_cast<CXXDefaultInitExpr>(S)) {
      Work.push_back(DI->getExpr());
    } else if (const auto *OV = dyn_cast<OpaqueValueExpr>(S);
               OV && Opened.insert(OV).second) {
      Work.push_back(OV->getSourceExpr());
    }
    for (const Stmt *Child : S->children())
      Work.push_back(Child);
  }
  if (Out.Direct)
    Out.Runs.clear(); // touching on its own: what it runs does not matter
  return Out;
}

} // namespace chanlint
