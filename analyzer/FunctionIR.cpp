#include "FunctionIR.h"

#include "engine/OrderFacts.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/StmtCXX.h"

#include <functional>

using namespace clang;

namespace chanlint {

namespace {

/// The object of a join or future wait inside a loop body that covers
/// every element of a container: the range-for element, `c[i]` or
/// `c.at(i)`.
class JoinAllFinder {
public:
  JoinAllFinder(const OpRecognizer &R, const Stmt *Loop) : R(R) {
    if (const auto *FR = dyn_cast<CXXForRangeStmt>(Loop)) {
      LoopVar = FR->getLoopVariable();
      Range = FR->getRangeInit();
      Body = FR->getBody();
    } else if (const auto *F = dyn_cast<ForStmt>(Loop)) {
      Body = F->getBody();
    } else if (const auto *W = dyn_cast<WhileStmt>(Loop)) {
      Body = W->getBody();
    }
  }

  /// The container whose elements are all joined, or null.
  const Expr *find() const { return Body ? visit(Body) : nullptr; }

private:
  const Expr *visit(const Stmt *S) const {
    if (!S || isa<LambdaExpr>(S))
      return nullptr;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
      MethodRole Role = R.api().roleOf(MC->getMethodDecl());
      if (Role == MethodRole::ThreadJoin || Role == MethodRole::FutureWait)
        if (const Expr *C = container(MC->getImplicitObjectArgument()))
          return C;
    }
    for (const Stmt *Child : S->children())
      if (const Expr *C = visit(Child))
        return C;
    return nullptr;
  }

  const Expr *container(const Expr *Obj) const {
    Obj = R.strip(Obj);
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Obj))
      if (LoopVar && DRE->getDecl() == LoopVar && Range &&
          R.api().isContainerOfHandles(Range->getType()))
        return Range;
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(Obj))
      if (OC->getOperator() == OO_Subscript &&
          R.api().isContainerOfHandles(OC->getArg(0)->getType()))
        return OC->getArg(0);
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Obj))
      if (R.api().isIndexedElement(MC) &&
          R.api().isContainerOfHandles(MC->getImplicitObjectArgument()->getType()))
        return MC->getImplicitObjectArgument();
    return nullptr;
  }

  const OpRecognizer &R;
  const VarDecl *LoopVar = nullptr;
  const Expr *Range = nullptr;
  const Stmt *Body = nullptr;
};

/// `if (t.joinable())` (the thread model's joinable test): the thread
/// object tested, or null.
const Expr *joinableTest(const OpRecognizer &R, const Stmt *Cond) {
  const auto *E = dyn_cast_or_null<Expr>(Cond);
  if (!E)
    return nullptr;
  const auto *MC = dyn_cast<CXXMemberCallExpr>(E->IgnoreParenImpCasts());
  if (!MC || R.api().roleOfCall(MC) != MethodRole::ThreadJoinable)
    return nullptr;
  const Expr *Obj = MC->getImplicitObjectArgument();
  return R.api().roleOf(Obj->getType()) == TypeRole::Thread ? Obj : nullptr;
}

} // namespace

namespace {

/// `bool running = true; ... while (running)`: the variable tested, when the
/// first test is sure to pass.
bool testsTrueFlag(const Stmt *Loop, const FunctionDecl *Fn) {
  const Expr *Cond = nullptr;
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    Cond = W->getCond();
  else if (const auto *F = dyn_cast<ForStmt>(Loop))
    Cond = F->getCond();
  if (!Cond)
    return false;
  Cond = Cond->IgnoreParenImpCasts();
  bool Negated = false;
  if (const auto *U = dyn_cast<UnaryOperator>(Cond); U && U->getOpcode() == UO_LNot) {
    Negated = true;
    Cond = U->getSubExpr()->IgnoreParenImpCasts();
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(Cond);
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!V || !V->isLocalVarDecl() || !V->getType()->isBooleanType() || !V->getInit())
    return false;
  const auto *Lit = dyn_cast<CXXBoolLiteralExpr>(V->getInit()->IgnoreParenImpCasts());
  if (!Lit || Lit->getValue() == Negated)
    return false;
  // No assignment to it before the loop, outside lambdas.
  const SourceLocation LoopStart = Loop->getBeginLoc();
  bool AssignedBefore = false;
  std::function<void(const Stmt *)> Scan = [&](const Stmt *S) {
    if (!S || AssignedBefore || isa<LambdaExpr>(S))
      return;
    if (S->getBeginLoc() >= LoopStart)
      return;
    if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp())
      if (const auto *L = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
          L && L->getDecl() == V)
        AssignedBefore = true;
    for (const Stmt *C : S->children())
      Scan(C);
  };
  Scan(Fn->getBody());
  return !AssignedBefore;
}

} // namespace

bool FunctionIR::isBackEdge(unsigned From, unsigned To) const {
  return To < Reaches.size() && Reaches[To][From];
}

std::optional<unsigned> FunctionIR::opAtElement(unsigned Block,
                                               unsigned Element) const {
  if (Block >= ElementOps.size() || Element >= ElementOps[Block].size() ||
      ElementOps[Block][Element] < 0)
    return std::nullopt;
  return static_cast<unsigned>(ElementOps[Block][Element]);
}

std::optional<unsigned> FunctionIR::terminatorOp(unsigned Block) const {
  if (Block >= TerminatorOps.size() || TerminatorOps[Block] < 0)
    return std::nullopt;
  return static_cast<unsigned>(TerminatorOps[Block]);
}

std::optional<OpLocation> FunctionIR::scopeExitOp(const VarDecl *V) const {
  auto It = ScopeExits.find(V);
  if (It == ScopeExits.end())
    return std::nullopt;
  return It->second;
}

const Op *FunctionIR::unwindOnlyScopeExitOp(const VarDecl *V) const {
  auto [It, New] = UnwindOnlyExits.try_emplace(V);
  if (New)
    It->second = Recognizer->recognizeScopeExit(V);
  if (!It->second.has_value())
    return nullptr;
  return &It->second.value();
}

const engine::FlowGraph &FunctionIR::flow(engine::ExceptionEdges Mode) const {
  std::unique_ptr<engine::FlowGraph> &G = Flows[static_cast<unsigned>(Mode)];
  if (!G)
    G = std::make_unique<engine::FlowGraph>(*this, Mode);
  return *G;
}

const engine::OrderFacts &FunctionIR::order(engine::ExceptionEdges Mode) const {
  std::unique_ptr<engine::OrderFacts> &O = Orders[static_cast<unsigned>(Mode)];
  if (!O)
    O = std::make_unique<engine::OrderFacts>(flow(Mode));
  return *O;
}

FunctionIR::~FunctionIR() = default;

llvm::ArrayRef<Op> FunctionIR::edgeOps(unsigned Block, unsigned Succ) const {
  auto It = EdgeOps.find({Block, Succ});
  if (It == EdgeOps.end())
    return {};
  return It->second;
}

std::unique_ptr<FunctionIR> FunctionIR::build(const FunctionDecl *Fn,
                                              const OpRecognizer &R) {
  Stmt *Body = Fn->getBody();
  if (!Body)
    return nullptr;
  CFG::BuildOptions Opts;
  Opts.AddImplicitDtors = true;
  Opts.AddInitializers = true;
  Opts.AddCXXDefaultInitExprInCtors = true;
  Opts.PruneTriviallyFalseEdges = true;
  Opts.setAllAlwaysAdd();
  std::unique_ptr<CFG> Cfg =
      CFG::buildCFG(Fn, Body, &R.context(), Opts);
  if (!Cfg)
    return nullptr;

  std::unique_ptr<FunctionIR> IR(new FunctionIR()); // private constructor
  IR->Fn = Fn;
  IR->Recognizer = &R;
  IR->Ops.resize(Cfg->getNumBlockIDs());
  IR->ElementOps.resize(Cfg->getNumBlockIDs());
  IR->TerminatorOps.assign(Cfg->getNumBlockIDs(), -1);
  IR->BlockInCycle.assign(Cfg->getNumBlockIDs(), false);

  if (const auto *Ctor = dyn_cast<CXXConstructorDecl>(Fn))
    R.collectInitializerFacts(Ctor, IR->Facts);

  for (const CFGBlock *B : *Cfg) {
    unsigned Id = B->getBlockID();
    std::vector<Op> &Out = IR->Ops[Id];
    std::vector<int> &AtElement = IR->ElementOps[Id];
    for (const CFGElement &E : *B) {
      std::optional<Op> O;
      if (auto S = E.getAs<CFGStmt>()) {
        R.collectFacts(S->getStmt(), IR->Facts);
        O = R.recognize(S->getStmt());
      } else if (auto D = E.getAs<CFGAutomaticObjDtor>()) {
        O = R.recognizeScopeExit(D->getVarDecl());
        if (O)
          IR->ScopeExits.try_emplace(D->getVarDecl(),
                                     OpLocation{Id, static_cast<unsigned>(Out.size())});
      }
      AtElement.push_back(O ? static_cast<int>(Out.size()) : -1);
      if (O)
        Out.push_back(std::move(*O));
    }
    const Stmt *Term = B->getTerminatorStmt();
    if (const auto *FR = dyn_cast_or_null<CXXForRangeStmt>(Term)) {
      R.collectFacts(FR, IR->Facts);
      if (auto O = R.recognizeRangeFor(FR)) {
        IR->TerminatorOps[Id] = static_cast<int>(Out.size());
        Out.push_back(std::move(*O));
      }
    }
    // The false edge of a loop condition is its exit (succ 1).
    if (Term && isa<CXXForRangeStmt, ForStmt, WhileStmt>(Term) &&
        B->succ_size() == 2) {
      if (const Expr *C = JoinAllFinder(R, Term).find()) {
        Op J;
        J.Kind = OpKind::Join;
        J.Site = Term;
        J.Object = C;
        J.ObjectElements = true;
        IR->EdgeOps[{B->getBlockID(), 1}].push_back(J);
      }
    }
    if (const auto *If = dyn_cast_or_null<IfStmt>(Term);
        If && B->succ_size() == 2) {
      if (const Expr *T = joinableTest(R, If->getCond())) {
        Op J;
        J.Kind = OpKind::Join;
        J.Site = If;
        J.Object = T;
        IR->EdgeOps[{B->getBlockID(), 1}].push_back(J);
      }
    }
  }

  // Reachability between blocks (for loops and back edges). llvm's SCC
  // iterator cannot be used: pruned edges leave null successors.
  unsigned NB = Cfg->getNumBlockIDs();
  std::vector<const CFGBlock *> ById(NB, nullptr);
  for (const CFGBlock *B : *Cfg)
    ById[B->getBlockID()] = B;
  IR->Reaches.assign(NB, std::vector<bool>(NB, false));
  for (unsigned Start = 0; Start < NB; ++Start) {
    if (!ById[Start])
      continue;
    std::vector<bool> &Seen = IR->Reaches[Start];
    std::vector<const CFGBlock *> Work;
    for (const CFGBlock *S : ById[Start]->succs())
      if (S)
        Work.push_back(S);
    while (!Work.empty()) {
      const CFGBlock *B = Work.back();
      Work.pop_back();
      unsigned Id = B->getBlockID();
      if (Seen[Id])
        continue;
      Seen[Id] = true;
      for (const CFGBlock *S : B->succs())
        if (S)
          Work.push_back(S);
    }
    IR->BlockInCycle[Start] = Seen[Start];
  }
  for (const CFGBlock *B : *Cfg) {
    const Stmt *Term = B->getTerminatorStmt();
    if (Term && isa<WhileStmt, ForStmt>(Term) && testsTrueFlag(Term, Fn))
      IR->FirstTestPasses.insert(B->getBlockID());
  }
  for (unsigned B = 0; B < IR->Ops.size(); ++B) {
    for (Op &O : IR->Ops[B])
      O.InLoop = IR->BlockInCycle[B];
    IR->NumOps += IR->Ops[B].size();
  }
  IR->Cfg = std::move(Cfg);
  return IR;
}

} // namespace chanlint
