#include "StatusUse.h"

#include "../AncestorWalk.h"
#include "../StatementWrites.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"

using namespace clang;

namespace chanlint {

namespace {

enum class Use : uint8_t { Ignored, Returned, Tested };

/// The strongest of two uses: tested anywhere beats returned, which beats
/// ignored.
Use strongest(Use A, Use B) { return A > B ? A : B; }

/// The condition of a statement that branches or loops on it, or null.
const Stmt *conditionOf(const Stmt *S) {
  if (const auto *If = dyn_cast<IfStmt>(S))
    return If->getCond();
  if (const auto *Sw = dyn_cast<SwitchStmt>(S))
    return Sw->getCond();
  return loopCondition(S);
}

/// Follows a value up the expression that holds it to where it is tested,
/// returned, stored or dropped.
class StatusUses {
public:
  explicit StatusUses(ASTContext &Ctx) : Ctx(Ctx) {}

  Use of(const Expr *E, unsigned Depth) {
    DynTypedNode Node = DynTypedNode::create(*E);
    const Stmt *Child = E;
    for (int Steps = 0; Steps < 64; ++Steps) {
      DynTypedNodeList Parents = parentsOf(Ctx, Node);
      if (Parents.empty())
        return Use::Tested; // nowhere we can follow: assume it is looked at
      const DynTypedNode &P = Parents[0];
      if (const auto *V = P.get<VarDecl>())
        return ofVariable(V, Depth);
      const auto *PS = P.get<Stmt>();
      if (!PS)
        return Use::Tested; // a member initialiser, a default argument...
      if (const auto *Cast = dyn_cast<CastExpr>(PS)) {
        if (Cast->getCastKind() == CK_ToVoid)
          return Use::Ignored; // `(void)ch.push(v)`: dropped on purpose
      } else if (const auto *BO = dyn_cast<BinaryOperator>(PS)) {
        if (BO->getOpcode() == BO_Comma) {
          if (Child == BO->getLHS())
            return Use::Ignored;
        } else if (BO->isAssignmentOp()) {
          if (Child == BO->getLHS())
            return Use::Ignored; // written, not read
          return intoVariable(BO->getLHS(), Depth);
        } else {
          return Use::Tested; // compared, negated in &&, combined
        }
      } else if (const auto *CO = dyn_cast<AbstractConditionalOperator>(PS)) {
        if (Child == CO->getCond())
          return Use::Tested;
      } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(PS)) {
        if (OC->isAssignmentOp() && OC->getNumArgs() == 2) {
          if (Child == OC->getArg(0))
            return Use::Ignored;
          return intoVariable(OC->getArg(0), Depth);
        }
        return Use::Tested; // an overloaded comparison or output operator
      } else if (isa<ReturnStmt>(PS)) {
        return Use::Returned;
      } else if (!isa<Expr>(PS)) {
        // A statement: the value is its condition, or a statement of its
        // own whose value nobody takes.
        return conditionOf(PS) == Child ? Use::Tested : Use::Ignored;
      } else if (!isa<ParenExpr, FullExpr, MaterializeTemporaryExpr,
                      CXXBindTemporaryExpr>(PS)) {
        return Use::Tested; // an argument, an initialiser list, a member...
      }
      Node = P;
      Child = PS;
    }
    return Use::Tested;
  }

private:
  /// The value is stored into what LHS names: a local is followed to its
  /// reads; anything else (a member, an element) is kept for others.
  Use intoVariable(const Expr *LHS, unsigned Depth) {
    const auto *DRE = dyn_cast<DeclRefExpr>(LHS->IgnoreParenImpCasts());
    const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    return V ? ofVariable(V, Depth) : Use::Tested;
  }

  /// The strongest use among the reads of a local that holds the value.
  Use ofVariable(const VarDecl *V, unsigned Depth) {
    if (!V->isLocalVarDecl() || V->isStaticLocal() || Depth >= MaxDepth)
      return Use::Tested;
    const auto *Fn = dyn_cast<FunctionDecl>(V->getDeclContext());
    if (!Fn || !Fn->getBody())
      return Use::Tested;
    llvm::SmallVector<const DeclRefExpr *, 4> Refs;
    referencesTo(Fn->getBody(), V, Refs);
    Use U = Use::Ignored;
    for (const DeclRefExpr *Ref : Refs)
      U = strongest(U, of(Ref, Depth + 1));
    return U;
  }

  static constexpr unsigned MaxDepth = 4;
  ASTContext &Ctx;
};

} // namespace

bool sendStatusTested(RuleContext &RC, const Event &Send) {
  const auto *Call = dyn_cast_or_null<Expr>(Send.Site);
  if (!Call || Send.InSelect)
    return false; // a select's result says which case ran, not "closed"
  StatusUses Uses(RC.Ctx);
  FrameId F = Send.Frame;
  for (unsigned Hop = 0; Hop < 16; ++Hop) {
    Use U = Uses.of(Call, 0);
    if (U != Use::Returned)
      return U == Use::Tested;
    // Returned from a helper: what its caller does with it decides.
    const Frame &Fr = RC.Model.frame(F);
    if (Fr.Parent == NoFrame)
      return true; // the task's result: a future may hold it
    const Op &Invoker = RC.Model.op(Fr.Parent, Fr.InvokedAt);
    Call = dyn_cast_or_null<Expr>(Invoker.Site);
    if (Invoker.Kind != OpKind::Call || !Call)
      return true; // a Defer, a Once or a select callback keeps it
    F = Fr.Parent;
  }
  return true;
}

} // namespace chanlint
