#include "ReceiveLoops.h"
#include "SourceEdits.h"

#include "../AncestorWalk.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <utility>

using namespace clang;

namespace chanlint {

namespace {

bool isLoop(const Stmt *S) {
  return isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
}

/// Calls Exit for each return, throw, goto, or break of this loop in S.
template <typename Fn>
void forEachExit(const Stmt *S, bool InNestedBreakable, Fn &&Exit) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (isa<ReturnStmt, GotoStmt, CXXThrowExpr>(S) ||
      (isa<BreakStmt>(S) && !InNestedBreakable)) {
    Exit(S);
    return;
  }
  bool Nested = InNestedBreakable || isLoop(S) || isa<SwitchStmt>(S);
  for (const Stmt *C : S->children())
    forEachExit(C, Nested, Exit);
}

/// The variable that holds the received optional: `auto v = ch.recv();`
/// or `v = ch.recv();`. Null when the value is unwrapped on the spot.
const VarDecl *resultVariable(const Stmt *Recv, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*Recv);
  for (int Depth = 0; Depth < 8; ++Depth) {
    DynTypedNodeList Parents = parentsOf(Ctx, Node);
    if (Parents.empty())
      return nullptr;
    const DynTypedNode &P = Parents[0];
    if (const auto *VD = P.get<VarDecl>())
      return VD;
    const auto *PS = P.get<Stmt>();
    if (!PS)
      return nullptr;
    const Expr *LHS = nullptr;
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(PS);
        Op && Op->getOperator() == OO_Equal)
      LHS = Op->getArg(0);
    if (const auto *BO = dyn_cast<BinaryOperator>(PS);
        BO && BO->getOpcode() == BO_Assign)
      LHS = BO->getLHS();
    if (LHS) {
      const auto *DRE = dyn_cast<DeclRefExpr>(LHS->IgnoreParenImpCasts());
      return DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
    }
    if (!isa<ImplicitCastExpr, ExprWithCleanups, CXXConstructExpr,
             MaterializeTemporaryExpr, CXXBindTemporaryExpr, ParenExpr>(PS))
      return nullptr;
    Node = P;
  }
  return nullptr;
}

bool refersTo(const Expr *E, const VarDecl *V) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  return DRE && DRE->getDecl() == V;
}

/// What a receive leaves to be tested: the variable that holds its result
/// (an optional, or a status), the call itself where it is tested on the
/// spot (`if (ch.pop(v) != channel_op_status::success)`), and what the
/// result is on a closed channel when it is a status ("closed", "false").
struct RecvResult {
  const ApiIndex &Api; ///< what stands for an empty optional, what tests one
  const VarDecl *Var = nullptr;
  const Expr *Call = nullptr;
  llvm::StringRef ClosedStatus;

  bool is(const Expr *E) const {
    return (Var && refersTo(E, Var)) ||
           (Call && E->IgnoreParenImpCasts() == Call->IgnoreParenImpCasts());
  }
  /// True if E stands for the result on a closed channel: an empty
  /// optional (std::nullopt), or the model's status (an enumerator of that
  /// name, `false`).
  bool isClosedValue(const Expr *E) const {
    E = E->IgnoreParenImpCasts();
    if (Api.isEmptyValue(E))
      return true;
    if (ClosedStatus.empty())
      return false;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return isa<EnumConstantDecl>(DRE->getDecl()) &&
             DRE->getDecl()->getName() == ClosedStatus;
    if (const auto *B = dyn_cast<CXXBoolLiteralExpr>(E))
      return ClosedStatus == (B->getValue() ? "true" : "false");
    return false;
  }
  /// True if E is another value the result may be compared with (another
  /// enumerator: `success`).
  static bool isOtherValue(const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && isa<EnumConstantDecl>(DRE->getDecl());
  }
};

/// +1: the condition is true when the receive got a value; -1: when the
/// channel is closed; 0: it tests something else. A blocking receive that
/// returns a status only fails when the channel is closed, so a test
/// against its success value counts too.
int testsPresence(const Expr *Cond, const RecvResult &R) {
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond);
      UO && UO->getOpcode() == UO_LNot)
    return -testsPresence(UO->getSubExpr(), R);
  if (R.is(Cond))
    return 1;
  // `v.has_value()` (the optional's presence test) and the implicit
  // `operator bool` on v
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Cond))
    if (R.is(MC->getImplicitObjectArgument()) && MC->getMethodDecl())
      if (isa<CXXConversionDecl>(MC->getMethodDecl()) ||
          R.Api.accessRoleOf(MC) == AccessRole::Presence)
        return 1;
  const Expr *L = nullptr, *Rhs = nullptr;
  bool Eq = false;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Cond);
      Op && Op->getNumArgs() == 2 &&
      (Op->getOperator() == OO_EqualEqual ||
       Op->getOperator() == OO_ExclaimEqual)) {
    L = Op->getArg(0);
    Rhs = Op->getArg(1);
    Eq = Op->getOperator() == OO_EqualEqual;
  } else if (const auto *BO = dyn_cast<BinaryOperator>(Cond);
             BO && BO->isEqualityOp()) {
    L = BO->getLHS();
    Rhs = BO->getRHS();
    Eq = BO->getOpcode() == BO_EQ;
  }
  if (!L)
    return 0;
  if (!R.is(L))
    std::swap(L, Rhs);
  if (!R.is(L))
    return 0;
  int IfEqual = 0;
  if (R.isClosedValue(Rhs))
    IfEqual = -1;
  else if (!R.ClosedStatus.empty() && RecvResult::isOtherValue(Rhs))
    IfEqual = 1;
  return Eq ? IfEqual : -IfEqual;
}

/// True if Exit runs only when the channel is closed: some `if` between it
/// and the loop body tests the receive's result and Exit sits on its closed
/// side.
bool exitsOnClosed(const Stmt *Exit, const Stmt *Body, const RecvResult &R,
                   ASTContext &Ctx) {
  if (!R.Var && !R.Call)
    return false;
  bool OnClosed = false;
  walkUpInFunction(Exit, Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    const auto *PS = P.get<Stmt>();
    if (PS == Body)
      return true;
    const auto *If = dyn_cast_or_null<IfStmt>(PS);
    if (!If || If->getCond() == Child)
      return false;
    int Presence = testsPresence(If->getCond(), R);
    OnClosed = (Presence < 0 && If->getThen() == Child) ||
               (Presence > 0 && If->getElse() == Child);
    return OnClosed;
  });
  return OnClosed;
}

/// The callback of a `recv_case(ch, callback)`, if written as a lambda.
const LambdaExpr *caseCallback(const CallExpr *Case) {
  if (Case->getNumArgs() < 2)
    return nullptr;
  return dyn_cast<LambdaExpr>(Case->getArg(Case->getNumArgs() - 1)->IgnoreImplicit());
}

/// Variables a callback assigns (`done = true;`, `v = x;`, `++n`).
void assignedIn(const Stmt *S, llvm::SmallPtrSetImpl<const VarDecl *> &Out) {
  if (!S)
    return;
  const Expr *Target = nullptr;
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp())
    Target = BO->getLHS();
  if (const auto *UO = dyn_cast<UnaryOperator>(S); UO && UO->isIncrementDecrementOp())
    Target = UO->getSubExpr();
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(S);
      Op && Op->isAssignmentOp() && Op->getNumArgs() > 0)
    Target = Op->getArg(0);
  if (Target)
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Target->IgnoreParenImpCasts()))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        Out.insert(VD);
  for (const Stmt *C : S->children())
    assignedIn(C, Out);
}

bool containsThrow(const Stmt *S) {
  if (!S)
    return false;
  if (isa<CXXThrowExpr>(S))
    return true;
  for (const Stmt *C : S->children())
    if (containsThrow(C))
      return true;
  return false;
}

/// Which case an exit condition is about.
struct CaseFacts {
  const Expr *Select = nullptr;  ///< the select call
  const VarDecl *Index = nullptr; ///< `auto i = chan::select(...)`
  unsigned Ours = 0;              ///< our case's index
  llvm::SmallPtrSet<const VarDecl *, 4> OurVars, SignalVars;

  bool isIndex(const Expr *E) const {
    E = E->IgnoreImplicit();
    if (E == Select)
      return true;
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return Index && DRE && DRE->getDecl() == Index;
  }
};

enum class About : uint8_t { Nothing, Ours, Signal };

About join(About A, About B) {
  if (A == About::Signal || B == About::Signal)
    return About::Signal;
  return A == About::Ours || B == About::Ours ? About::Ours : About::Nothing;
}

About aboutCondition(const Expr *Cond, const CaseFacts &F, ASTContext &Ctx) {
  if (!Cond)
    return About::Nothing;
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(Cond); BO && BO->isEqualityOp()) {
    for (auto [Idx, Other] : {std::pair{BO->getLHS(), BO->getRHS()},
                              std::pair{BO->getRHS(), BO->getLHS()}}) {
      Expr::EvalResult R;
      if (!F.isIndex(Idx) || !Other->EvaluateAsInt(R, Ctx))
        continue;
      bool IsOurs = R.Val.getInt().getLimitedValue() == F.Ours;
      bool Eq = BO->getOpcode() == BO_EQ;
      return IsOurs == Eq ? About::Ours : About::Signal;
    }
  }
  if (F.isIndex(Cond)) // `if (i)`: some case other than the first
    return F.Ours == 0 ? About::Signal : About::Nothing;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Cond)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (VD && F.SignalVars.contains(VD))
      return About::Signal;
    if (VD && F.OurVars.contains(VD))
      return About::Ours;
    return About::Nothing;
  }
  About A = About::Nothing;
  for (const Stmt *C : Cond->children())
    if (const auto *CE = dyn_cast_or_null<Expr>(C))
      A = join(A, aboutCondition(CE, F, Ctx));
  return A;
}

/// What leads to an exit: the conditions of the `if`s around it, inside the
/// loop body.
About aboutExit(const Stmt *Exit, const Stmt *Body, const CaseFacts &F,
                ASTContext &Ctx) {
  About A = About::Nothing;
  walkUpInFunction(Exit, Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    const auto *PS = P.get<Stmt>();
    if (PS == Body)
      return true;
    if (const auto *If = dyn_cast_or_null<IfStmt>(PS); If && If->getCond() != Child)
      A = join(A, aboutCondition(If->getCond(), F, Ctx));
    return false;
  });
  return A;
}

} // namespace

const Stmt *selectSignalExit(const Stmt *RecvCase, ASTContext &Ctx) {
  // The select call whose argument is our case.
  const CallExpr *Select = nullptr;
  DynTypedNode Node = DynTypedNode::create(*RecvCase);
  for (int Depth = 0; Depth < 6 && !Select; ++Depth) {
    DynTypedNodeList Parents = parentsOf(Ctx, Node);
    if (Parents.empty())
      return RecvCase;
    Node = Parents[0];
    Select = Node.get<CallExpr>();
  }
  const Stmt *Loop = Select ? enclosingLoop(Select, Ctx) : nullptr;
  if (!Loop)
    return RecvCase; // a one-shot select gives up when a signal case wins

  CaseFacts F;
  F.Select = Select;
  F.Index = resultVariable(Select, Ctx);
  bool Found = false;
  for (unsigned I = 0; I < Select->getNumArgs(); ++I) {
    const auto *Case = dyn_cast<CallExpr>(Select->getArg(I)->IgnoreImplicit());
    if (!Case)
      continue;
    const LambdaExpr *CB = caseCallback(Case);
    if (Case == RecvCase) {
      F.Ours = I;
      Found = true;
      if (CB)
        assignedIn(CB->getBody(), F.OurVars);
    } else if (CB) {
      if (containsThrow(CB->getBody()))
        return RecvCase;
      assignedIn(CB->getBody(), F.SignalVars);
    }
  }
  if (!Found)
    return RecvCase;
  for (const VarDecl *V : F.SignalVars) // set by both: not ours alone
    F.OurVars.erase(V);

  const Stmt *Body = loopBody(Loop);
  const Stmt *SignalExit = nullptr;
  bool Unexplained = false;
  forEachExit(Body, false, [&](const Stmt *Exit) {
    About A = aboutExit(Exit, Body, F, Ctx);
    if (A == About::Signal && !SignalExit)
      SignalExit = Exit;
    Unexplained |= A == About::Nothing;
  });
  if (SignalExit)
    return SignalExit;
  // The loop's own condition (`while (!stop)`) is an exit too.
  const Expr *Cond = nullptr;
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    Cond = W->getCond();
  else if (const auto *D = dyn_cast<DoStmt>(Loop))
    Cond = D->getCond();
  else if (const auto *For = dyn_cast<ForStmt>(Loop))
    Cond = For->getCond();
  Expr::EvalResult R;
  if (Cond && !(Cond->EvaluateAsInt(R, Ctx) && R.Val.getInt().getBoolValue())) {
    About A = aboutCondition(Cond, F, Ctx);
    if (A == About::Signal)
      return Loop;
    Unexplained |= A == About::Nothing;
  }
  // An exit we cannot tie to a case may follow a signal.
  return Unexplained ? RecvCase : nullptr;
}

void forEachLoopExit(const Stmt *Body,
                     llvm::function_ref<void(const Stmt *)> Exit) {
  forEachExit(Body, false, Exit);
}

bool rangeLoopExitsEarly(const Stmt *RangeFor) {
  const auto *FR = dyn_cast_or_null<CXXForRangeStmt>(RangeFor);
  if (!FR)
    return false;
  bool Any = false;
  forEachExit(FR->getBody(), false, [&](const Stmt *) { Any = true; });
  return Any;
}

namespace {

bool holds(const Stmt *S, llvm::function_ref<bool(const Stmt *)> Is) {
  if (!S)
    return false;
  if (Is(S))
    return true;
  for (const Stmt *C : S->children())
    if (holds(C, Is))
      return true;
  return false;
}

} // namespace

const Expr *recvLoopConditionExit(const Stmt *Recv, ASTContext &Ctx) {
  const Stmt *Loop = enclosingLoop(Recv, Ctx);
  const Expr *Cond = loopCondition(Loop);
  if (!Cond || !holds(loopBody(Loop), [&](const Stmt *S) { return S == Recv; }))
    return nullptr;
  bool Constant = false;
  if (!Cond->isValueDependent() && Cond->EvaluateAsBooleanCondition(Constant, Ctx) &&
      Constant)
    return nullptr;
  const VarDecl *Result = resultVariable(Recv, Ctx);
  if (Result && holds(Cond, [&](const Stmt *S) {
        const auto *E = dyn_cast<Expr>(S);
        return E && refersTo(E, Result);
      }))
    return nullptr;
  return Cond;
}

const Stmt *recvLoopEarlyExit(const ApiIndex &Api, const Stmt *Recv,
                              ASTContext &Ctx) {
  const Stmt *Loop = enclosingLoop(Recv, Ctx);
  if (!Loop)
    return nullptr;
  const Stmt *Body = loopBody(Loop);
  const OnClosed *IfClosed = Api.onClosed(Recv);
  RecvResult R{Api};
  R.Var = resultVariable(Recv, Ctx);
  if (IfClosed && IfClosed->What == OnClosed::Kind::Returns &&
      IfClosed->Value != "nullopt") {
    R.ClosedStatus = IfClosed->Value;
    R.Call = dyn_cast<Expr>(Recv);
  }
  const Stmt *Early = nullptr;
  forEachExit(Body, false, [&](const Stmt *Exit) {
    if (!Early && !exitsOnClosed(Exit, Body, R, Ctx))
      Early = Exit;
  });
  return Early;
}

} // namespace chanlint
