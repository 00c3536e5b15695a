// chan-busy-select-loop: a loop around a select that has a default case and
// no cancellation case, where nothing else in the loop blocks. The default
// makes the select return at once when no case is ready, so the loop spins
// a core until something arrives. Not a busy loop: a sleep, a wait or a
// blocking channel operation anywhere in the loop (helpers and case
// callbacks included), or a default case that ends the loop (it sets a flag
// that the loop's exit tests, or the select's result is tested).
#include "../AncestorWalk.h"
#include "../StatementWrites.h"
#include "BlockingOps.h"
#include "RuleRegistry.h"
#include "SourceEdits.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>

using namespace clang;

namespace chanlint {

namespace {

class BusyLoops {
public:
  BusyLoops(FunctionRuleContext &TC, const FunctionIR &IR)
      : TC(TC), IR(IR), R(IR.recognizer()), Api(R.api()) {}

  void check(const Op &Select, OpLocation L, std::vector<Finding> &Out);

private:
  bool isCancellation(const SelectCase &C) const;
  bool functionMayBlock(const FunctionDecl *F, unsigned Depth);
  bool blockMayBlock(const FunctionIR &In, unsigned Block, const Op *Except,
                     unsigned Depth);
  bool defaultEndsLoop(const Op &Select, const std::vector<unsigned> &Loop) const;
  bool resultUsed(const Op &Select) const;
  bool countedLoop(const Op &Select) const;

  FunctionRuleContext &TC;
  const FunctionIR &IR;
  const OpRecognizer &R;
  const ApiIndex &Api;
  llvm::DenseMap<const FunctionDecl *, bool> Blocks; ///< memo, false while open
};

bool BusyLoops::isCancellation(const SelectCase &C) const {
  if (C.K != SelectCase::Kind::Recv || !C.Channel)
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(R.strip(C.Channel)))
    if (Api.roleOf(MC->getMethodDecl()) == MethodRole::ContextDone)
      return true;
  // A stop channel: its values mean "stop", not data (chan::Unit).
  QualType Elem = Api.channelElementType(C.Channel->getType());
  const auto *RD = Elem.isNull() ? nullptr : Elem->getAsCXXRecordDecl();
  return RD && RD->hasDefinition() && RD->isEmpty();
}

bool BusyLoops::blockMayBlock(const FunctionIR &In, unsigned Block,
                              const Op *Except, unsigned Depth) {
  for (const Op &O : In.opsIn(Block)) {
    if (&O == Except)
      continue;
    if (channelOpBlocks(O) || O.Kind == OpKind::Join ||
        O.Kind == OpKind::FutureWait)
      return true;
    if (O.Kind == OpKind::Call && O.Target.valid() &&
        functionMayBlock(O.Target.Body, Depth + 1))
      return true;
  }
  for (const CFGBlock *B : In.cfg()) {
    if (B->getBlockID() != Block)
      continue;
    for (const CFGElement &E : *B)
      // Also a call of a std::function: what it runs is not known here.
      if (auto S = E.getAs<CFGStmt>(); S && statementMayBlock(S->getStmt(), R))
        return true;
  }
  return false;
}

bool BusyLoops::functionMayBlock(const FunctionDecl *F, unsigned Depth) {
  if (!F || Depth > 4)
    return true; // too deep to know: assume it may
  auto [It, New] = Blocks.try_emplace(F, false);
  if (!New)
    return It->second;
  const FunctionIR *In = TC.IRs.get(F);
  bool May = !In;
  for (unsigned B = 0; In && !May && B < In->cfg().getNumBlockIDs(); ++B)
    May = blockMayBlock(*In, B, nullptr, Depth);
  // Select callbacks are lambdas called by the select: look at them too.
  if (In && !May)
    In->forEachOp([&](const Op &O, OpLocation) {
      for (const SelectCase &C : O.Cases)
        if (!May && C.Callback.valid())
          May = functionMayBlock(C.Callback.Body, Depth + 1);
    });
  Blocks[F] = May;
  return May;
}

/// Channels whose length (the model's `len`) a condition tests:
/// `while (jobs.size() > 0)`.
void sizedChannels(const ApiIndex &Api, const Stmt *S,
                   llvm::DenseSet<const ValueDecl *> &Out) {
  if (!S)
    return;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S);
      MC && Api.roleOfCall(MC) == MethodRole::Len)
    if (const ValueDecl *D = namedVariable(Api, MC->getImplicitObjectArgument()))
      Out.insert(D);
  for (const Stmt *C : S->children())
    sizedChannels(Api, C, Out);
}

/// The callback leaves the loop without returning to it: a throw that no
/// try block of the callback catches, or a call that does not return.
bool leavesLoop(const Stmt *S) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (isa<CXXThrowExpr>(S))
    return true;
  if (const auto *Call = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *Callee = Call->getDirectCallee();
        Callee && Callee->isNoReturn())
      return true;
  if (const auto *Try = dyn_cast<CXXTryStmt>(S)) {
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
      if (leavesLoop(Try->getHandler(I)->getHandlerBlock()))
        return true;
    return false; // what the try block throws may be caught
  }
  for (const Stmt *C : S->children())
    if (leavesLoop(C))
      return true;
  return false;
}

bool BusyLoops::defaultEndsLoop(const Op &Select,
                                const std::vector<unsigned> &Loop) const {
  // What the loop's exits test.
  llvm::DenseSet<const ValueDecl *> Tested, Drained;
  llvm::DenseSet<unsigned> InLoop(Loop.begin(), Loop.end());
  for (const CFGBlock *B : IR.cfg()) {
    if (!InLoop.contains(B->getBlockID()))
      continue;
    bool Exits = false;
    for (const CFGBlock *S : B->succs())
      Exits |= S && !InLoop.contains(S->getBlockID());
    if (Exits) {
      namedVariables(B->getTerminatorCondition(), Tested);
      sizedChannels(Api, B->getTerminatorCondition(), Drained);
    }
  }
  for (const SelectCase &C : Select.Cases) {
    // `while (jobs.size() > 0)` around a receive from jobs: the loop drains
    // what is buffered and leaves when nothing is ready; it does not wait.
    if (C.K == SelectCase::Kind::Recv && C.Channel)
      if (const ValueDecl *D = namedVariable(Api, R.strip(C.Channel));
          D && Drained.contains(D))
        return true;
    if (C.K == SelectCase::Kind::Default && C.Callback.valid() &&
        (mayChangeOneOf(Api, C.Callback.Body->getBody(), Tested) ||
         leavesLoop(C.Callback.Body->getBody())))
      return true;
  }
  return false;
}

/// Whether a statement that runs other statements (a loop, a branch, a
/// switch, a label) uses the value of its child Child: only as its
/// condition. Its body, a for-loop's init and increment are statements of
/// their own. None for any other statement (a return, a declaration).
std::optional<bool> controlUses(const Stmt *S, const Stmt *Child) {
  if (const auto *W = dyn_cast<WhileStmt>(S))
    return W->getCond() == Child;
  if (const auto *D = dyn_cast<DoStmt>(S))
    return D->getCond() == Child;
  if (const auto *F = dyn_cast<ForStmt>(S))
    return F->getCond() == Child;
  if (const auto *I = dyn_cast<IfStmt>(S))
    return I->getCond() == Child;
  if (const auto *Sw = dyn_cast<SwitchStmt>(S))
    return Sw->getCond() == Child;
  if (isa<CaseStmt, DefaultStmt, LabelStmt, AttributedStmt>(S))
    return false;
  return std::nullopt;
}

bool BusyLoops::resultUsed(const Op &Select) const {
  DynTypedNode Node = DynTypedNode::create(*Select.Site);
  for (int Depth = 0; Depth < 6; ++Depth) {
    DynTypedNodeList Parents = parentsOf(TC.Ctx, Node);
    if (Parents.empty())
      return false;
    const DynTypedNode &P = Parents[0];
    if (P.get<CompoundStmt>())
      return false; // a statement of its own: discarded
    const auto *E = P.get<Expr>();
    if (!E) {
      // The body of an unbraced loop or branch is a statement of its own
      // too; only a condition, an initializer or a return uses the value.
      const Stmt *Child = Node.get<Stmt>();
      if (const auto *S = P.get<Stmt>(); S && Child)
        if (std::optional<bool> Uses = controlUses(S, Child))
          return *Uses;
      return true;
    }
    if (const auto *Cast = dyn_cast<CStyleCastExpr>(E);
        Cast && Cast->getType()->isVoidType())
      return false;
    if (!isa<ImplicitCastExpr, ExprWithCleanups, MaterializeTemporaryExpr,
             CXXBindTemporaryExpr, ParenExpr>(E))
      return true;
    Node = P;
  }
  return true;
}

/// A step of a counter: `++i`, `n--`, `it += 2`.
const ValueDecl *stepped(const ApiIndex &Api, const Stmt *S) {
  if (const auto *UO = dyn_cast<UnaryOperator>(S); UO && UO->isIncrementDecrementOp())
    return namedVariable(Api, UO->getSubExpr());
  if (const auto *CA = dyn_cast<CompoundAssignOperator>(S);
      CA && (CA->getOpcode() == BO_AddAssign || CA->getOpcode() == BO_SubAssign))
    return namedVariable(Api, CA->getLHS());
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
      OC && OC->getNumArgs() >= 1 &&
      (OC->getOperator() == OO_PlusPlus || OC->getOperator() == OO_MinusMinus ||
       OC->getOperator() == OO_PlusEqual || OC->getOperator() == OO_MinusEqual))
    return namedVariable(Api, OC->getArg(0));
  return nullptr;
}

bool containsStep(const ApiIndex &Api, const Stmt *S,
                  const llvm::DenseSet<const ValueDecl *> &Ds) {
  if (!S)
    return false;
  if (const ValueDecl *D = stepped(Api, S); D && Ds.contains(D))
    return true;
  for (const Stmt *C : S->children())
    if (containsStep(Api, C, Ds))
      return true;
  return false;
}

bool skipsRestGoto(const Stmt *S);

/// A `continue` of the loop around S, or a `goto`, in S.
bool skipsRest(const Stmt *S) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (isa<ContinueStmt, GotoStmt, IndirectGotoStmt>(S))
    return true;
  for (const Stmt *C : S->children()) {
    // A continue inside a nested loop continues that loop.
    if (C && isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(C)) {
      if (skipsRestGoto(C))
        return true;
      continue;
    }
    if (skipsRest(C))
      return true;
  }
  return false;
}

bool skipsRestGoto(const Stmt *S) {
  if (!S || isa<LambdaExpr>(S))
    return false;
  if (isa<GotoStmt, IndirectGotoStmt>(S))
    return true;
  for (const Stmt *C : S->children())
    if (skipsRestGoto(C))
      return true;
  return false;
}

/// A while or do loop that counts: its condition steps a counter it tests
/// (`while (n-- > 0)`), or its body steps one at its top level, on every
/// iteration (`while (i < n) { ...; ++i; }`).
bool countsDown(const ApiIndex &Api, const Stmt *Cond, const Stmt *Body) {
  llvm::DenseSet<const ValueDecl *> Tested;
  namedVariables(Cond, Tested);
  if (Tested.empty())
    return false;
  if (containsStep(Api, Cond, Tested))
    return true;
  const auto *CS = dyn_cast_or_null<CompoundStmt>(Body);
  if (!CS)
    return false;
  for (const Stmt *S : CS->body()) {
    if (const auto *E = dyn_cast<Expr>(S))
      S = E->IgnoreParenImpCasts();
    if (const ValueDecl *D = stepped(Api, S); D && Tested.contains(D))
      return true;
    // Past a statement that may skip the rest of the iteration, later steps
    // are not on every iteration (leaving the loop is fine).
    if (skipsRest(S))
      return false;
  }
  return false;
}

bool BusyLoops::countedLoop(const Op &Select) const {
  // The innermost loop around the select: a range-for over a container, or
  // a for-loop whose increment advances what its condition tests, ends
  // after its items whatever the select does. A non-blocking attempt per
  // item (send it or drop it) is not a wait.
  bool Counted = false;
  walkUpInFunction(Select.Site, TC.Ctx,
                   [&](const DynTypedNode &P, const Stmt *) {
                     if (P.get<CXXForRangeStmt>()) {
                       Counted = true;
                       return true;
                     }
                     if (const auto *F = P.get<ForStmt>()) {
                       llvm::DenseSet<const ValueDecl *> Tested;
                       namedVariables(F->getCond(), Tested);
                       Counted = F->getCond() && F->getInc() &&
                                 mayChangeOneOf(Api, F->getInc(), Tested);
                       return true;
                     }
                     const Stmt *Cond = nullptr, *Body = nullptr;
                     if (const auto *W = P.get<WhileStmt>())
                       Cond = W->getCond(), Body = W->getBody();
                     else if (const auto *D = P.get<DoStmt>())
                       Cond = D->getCond(), Body = D->getBody();
                     else
                       return false;
                     Counted = countsDown(Api, Cond, Body);
                     return true;
                   });
  return Counted;
}

void BusyLoops::check(const Op &Select, OpLocation L,
                      std::vector<Finding> &Out) {
  if (!Select.HasDefault || !IR.inLoop(L.Block) || !Select.Site)
    return;
  for (const SelectCase &C : Select.Cases)
    if (isCancellation(C))
      return;
  std::vector<unsigned> Loop;
  for (unsigned B = 0; B < IR.cfg().getNumBlockIDs(); ++B)
    if (B == L.Block || (IR.reaches(L.Block, B) && IR.reaches(B, L.Block)))
      Loop.push_back(B);
  for (unsigned B : Loop)
    if (blockMayBlock(IR, B, &Select, 0))
      return;
  for (const SelectCase &C : Select.Cases)
    if (C.Callback.valid() && functionMayBlock(C.Callback.Body, 1))
      return;
  if (resultUsed(Select) || defaultEndsLoop(Select, Loop) || countedLoop(Select))
    return;

  Finding F;
  F.Loc = Select.Site->getBeginLoc();
  F.Range = Select.Site->getSourceRange();
  F.Message = "select with a default case polls in a loop that never blocks; "
              "the loop spins while no case is ready";
  for (const SelectCase &C : Select.Cases)
    if (C.K == SelectCase::Kind::Default && C.Site)
      F.Notes.push_back({C.Site->getBeginLoc(),
                         "the default case returns at once when no other case "
                         "is ready",
                         true});
  F.Notes.push_back({Select.Site->getBeginLoc(),
                     "let the select wait: drop the default case and add a "
                     "receive case on a context or stop channel that leaves "
                     "the loop",
                     false});
  Out.push_back(std::move(F));
}

void checkBusySelectLoop(FunctionRuleContext &TC, const FunctionIR &IR,
                         std::vector<Finding> &Out) {
  BusyLoops Loops(TC, IR);
  IR.forEachOp([&](const Op &O, OpLocation L) {
    if (O.Kind == OpKind::Select)
      Loops.check(O, L, Out);
  });
}

RuleRegistry::Add Register("chan-busy-select-loop", checkBusySelectLoop);

} // namespace

} // namespace chanlint
