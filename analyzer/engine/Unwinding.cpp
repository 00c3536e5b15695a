#include "Unwinding.h"

#include "../AncestorWalk.h"

#include "clang/AST/DeclCXX.h"

using namespace clang;

namespace chanlint::engine {

namespace {

void addLocals(const DeclStmt *DS, std::vector<const VarDecl *> &Out) {
  if (!DS)
    return;
  for (const Decl *D : DS->decls())
    if (const auto *V = dyn_cast<VarDecl>(D);
        V && V->hasLocalStorage() && !V->getType()->isReferenceType())
      Out.push_back(V);
}

/// Locals a statement's header declares that are in scope in Child.
void headerLocals(const Stmt *P, const Stmt *Child,
                  std::vector<const VarDecl *> &Out) {
  auto Var = [&](const VarDecl *V) {
    if (V && V->hasLocalStorage() && !V->getType()->isReferenceType())
      Out.push_back(V);
  };
  auto Init = [&](const Stmt *S) { addLocals(dyn_cast_or_null<DeclStmt>(S), Out); };
  if (const auto *If = dyn_cast<IfStmt>(P)) {
    if (Child == If->getThen() || Child == If->getElse()) {
      Init(If->getInit());
      Var(If->getConditionVariable());
    }
  } else if (const auto *F = dyn_cast<ForStmt>(P)) {
    if (Child == F->getBody() || Child == F->getInc() || Child == F->getCond()) {
      Init(F->getInit());
      if (Child == F->getBody())
        Var(F->getConditionVariable());
    }
  } else if (const auto *W = dyn_cast<WhileStmt>(P)) {
    if (Child == W->getBody())
      Var(W->getConditionVariable());
  } else if (const auto *FR = dyn_cast<CXXForRangeStmt>(P)) {
    if (Child == FR->getBody())
      Var(FR->getLoopVariable());
  } else if (const auto *Sw = dyn_cast<SwitchStmt>(P)) {
    if (Child == Sw->getBody()) {
      Init(Sw->getInit());
      Var(Sw->getConditionVariable());
    }
  }
}

/// Locals of a compound statement declared before the child that holds the
/// throw, latest first (they are destroyed in reverse order).
void compoundLocals(const CompoundStmt *CS, const Stmt *Child,
                    std::vector<const VarDecl *> &Out) {
  std::vector<const VarDecl *> Before;
  for (const Stmt *S : CS->body()) {
    if (S == Child)
      break;
    addLocals(dyn_cast<DeclStmt>(S), Before);
  }
  Out.insert(Out.end(), Before.rbegin(), Before.rend());
}

QualType caughtClass(QualType T) {
  T = T.getNonReferenceType().getUnqualifiedType();
  return T.getCanonicalType();
}

} // namespace

bool handlerCatches(const CXXCatchStmt *H, QualType Thrown) {
  if (!H->getExceptionDecl())
    return true; // catch (...)
  if (Thrown.isNull())
    return false;
  QualType Caught = caughtClass(H->getCaughtType());
  QualType T = caughtClass(Thrown);
  if (Caught == T)
    return true;
  const auto *CR = Caught->getAsCXXRecordDecl();
  const auto *TR = T->getAsCXXRecordDecl();
  return CR && TR && TR->hasDefinition() && TR->isDerivedFrom(CR);
}

std::vector<UnwindTarget> unwindTargets(const Stmt *S, QualType Thrown,
                                        ASTContext &Ctx) {
  std::vector<UnwindTarget> Out;
  std::vector<const VarDecl *> Left;
  bool Caught = false;
  walkUpInFunction(S, Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    if (const auto *CS = P.get<CompoundStmt>()) {
      compoundLocals(CS, Child, Left);
      return false;
    }
    const auto *PS = P.get<Stmt>();
    if (!PS)
      return false;
    headerLocals(PS, Child, Left);
    const auto *Try = dyn_cast<CXXTryStmt>(PS);
    if (!Try || Try->getTryBlock() != Child)
      return false;
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I) {
      const CXXCatchStmt *H = Try->getHandler(I);
      bool Sure = handlerCatches(H, Thrown);
      // An unknown type may be caught by any handler; a known one only by
      // those it matches.
      if (Sure || Thrown.isNull())
        Out.push_back(UnwindTarget{H, Left});
      if (Sure) {
        Caught = true;
        return true;
      }
    }
    return false;
  });
  if (!Caught)
    Out.push_back(UnwindTarget{nullptr, Left});
  return Out;
}

} // namespace chanlint::engine
