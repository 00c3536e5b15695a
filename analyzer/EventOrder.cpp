#include "EventOrder.h"

#include "engine/OrderFacts.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

#include <vector>

namespace chanlint {

namespace {

/// The frames from the party's top frame down to the event's, each with the
/// op through which the next one runs (the event's own op last).
std::vector<std::pair<FrameId, OpLocation>> chainOf(const ProgramModel &M,
                                                     const Event &E) {
  std::vector<std::pair<FrameId, OpLocation>> Chain;
  FrameId F = E.Frame;
  OpLocation At = E.Loc;
  while (F != NoFrame) {
    Chain.emplace_back(F, At);
    const Frame &Fr = M.frame(F);
    At = Fr.InvokedAt;
    F = Fr.Parent;
  }
  return {Chain.rbegin(), Chain.rend()};
}

bool follows(const ProgramModel &M, FrameId F, OpLocation A, OpLocation B,
             const engine::OrderFacts::KnownFlags &Known) {
  return M.frame(F).IR->order(engine::ExceptionEdges::Throws).mayFollow(A, B,
                                                                       Known);
}

/// Flags that a callee or callback of the chain sets unconditionally
/// (`done = true;` as a statement of its body) on a variable of an outer
/// frame: once the op that ran it returns, the flag has that value. The
/// usual way to leave a loop from a select case.
engine::OrderFacts::KnownFlags
flagsSetBelow(const ProgramModel &M,
              llvm::ArrayRef<std::pair<FrameId, OpLocation>> Below) {
  engine::OrderFacts::KnownFlags Known;
  for (const auto &[F, At] : Below) {
    (void)At;
    const clang::FunctionDecl *Fn = M.frame(F).IR->function();
    const auto *Body = llvm::dyn_cast_or_null<clang::CompoundStmt>(Fn->getBody());
    if (!Body)
      continue;
    for (const clang::Stmt *S : Body->body()) {
      const auto *BO = llvm::dyn_cast<clang::BinaryOperator>(S);
      if (!BO || BO->getOpcode() != clang::BO_Assign)
        continue;
      const auto *Lit = llvm::dyn_cast<clang::CXXBoolLiteralExpr>(
          BO->getRHS()->IgnoreParenImpCasts());
      const clang::Expr *L = BO->getLHS()->IgnoreParenImpCasts();
      const clang::ValueDecl *D = nullptr;
      if (const auto *DRE = llvm::dyn_cast<clang::DeclRefExpr>(L))
        D = DRE->getDecl();
      else if (const auto *ME = llvm::dyn_cast<clang::MemberExpr>(L))
        D = ME->getMemberDecl();
      // Only the outer frames' variables: not a local of this body.
      if (!Lit || !D || D->getDeclContext() == Fn)
        continue;
      if (Known.size() < 8)
        Known.push_back({D, Lit->getValue()});
    }
  }
  return Known;
}

} // namespace

bool mayFollowInParty(const ProgramModel &M, const Event &A, const Event &B) {
  if (A.Party != B.Party)
    return false;
  auto CA = chainOf(M, A), CB = chainOf(M, B);
  size_t I = 0;
  while (I < CA.size() && I < CB.size() && CA[I].first == CB[I].first) {
    OpLocation LA = CA[I].second, LB = CB[I].second;
    if (LA.Block != LB.Block || LA.Index != LB.Index)
      return follows(M, CA[I].first, LA, LB,
                     flagsSetBelow(M, llvm::ArrayRef(CA).drop_front(I + 1)));
    ++I;
  }
  if (I == 0)
    return false; // different top frames: not one party's run
  // Both run under the same op of frame Top: A is a case of a select and B
  // is in that case's callback, which runs after it; otherwise they are
  // in different frames under the op (two cases of one select) or are the
  // very same op, and only a loop around the op brings B after A.
  FrameId Top = CA[I - 1].first;
  OpLocation L = CA[I - 1].second;
  if (I == CA.size() && I < CB.size() && A.Case >= 0 &&
      M.caseFrame(Top, L, static_cast<unsigned>(A.Case)) == CB[I].first)
    return true;
  return follows(M, Top, L, L,
                 flagsSetBelow(M, llvm::ArrayRef(CA).drop_front(I)));
}

} // namespace chanlint
