#include "LoopTrips.h"

#include "AncestorWalk.h"
#include "StatementWrites.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace chanlint {

namespace {

/// The counter a `for` header starts, and its first value:
/// `int i = 0` or `i = 0`.
std::optional<std::pair<const ValueDecl *, int64_t>>
counterStart(const ApiIndex &Api, const Stmt *Init, ASTContext &Ctx) {
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(Init)) {
    const auto *V = DS->isSingleDecl() ? dyn_cast<VarDecl>(DS->getSingleDecl())
                                       : nullptr;
    if (!V || !V->getType()->isIntegerType() || !V->getInit())
      return std::nullopt;
    if (auto Start = integerConstant(V->getInit(), Ctx))
      return std::make_pair(static_cast<const ValueDecl *>(V), *Start);
    return std::nullopt;
  }
  if (const auto *E = dyn_cast_or_null<Expr>(Init))
    if (std::optional<Store> S = storeOf(Api, asWritten(E)); S && S->Plain && S->Target)
      if (auto Start = integerConstant(S->Value, Ctx))
        return std::make_pair(S->Target, *Start);
  return std::nullopt;
}

/// The step a `for` increment adds to the counter: `++i`, `i--`, `i += 2`.
std::optional<int64_t> counterStep(const ApiIndex &Api, const Expr *Inc,
                                   const ValueDecl *Counter, ASTContext &Ctx) {
  Inc = asWritten(Inc);
  if (const auto *UO = dyn_cast_or_null<UnaryOperator>(Inc)) {
    if (namedVariable(Api, UO->getSubExpr()) != Counter)
      return std::nullopt;
    if (UO->isIncrementOp())
      return 1;
    if (UO->isDecrementOp())
      return -1;
    return std::nullopt;
  }
  if (const auto *CA = dyn_cast_or_null<CompoundAssignOperator>(Inc)) {
    if (namedVariable(Api, CA->getLHS()) != Counter)
      return std::nullopt;
    std::optional<int64_t> By = integerConstant(CA->getRHS(), Ctx);
    if (!By || *By <= 0)
      return std::nullopt;
    if (CA->getOpcode() == BO_AddAssign)
      return *By;
    if (CA->getOpcode() == BO_SubAssign)
      return -*By;
  }
  return std::nullopt;
}

/// Iterations of `for (i = Start; i Op Bound; i += Step)`.
std::optional<uint64_t> countedIterations(int64_t Start, BinaryOperatorKind Op,
                                          int64_t Bound, int64_t Step) {
  // Distance still to go in the direction of the step, and whether the
  // bound itself is taken.
  bool Up = Step > 0;
  uint64_t Stride = static_cast<uint64_t>(Up ? Step : -Step);
  __int128 Gap = Up ? static_cast<__int128>(Bound) - Start
                    : static_cast<__int128>(Start) - Bound;
  switch (Op) {
  case BO_LT:
  case BO_GT:
    if ((Op == BO_LT) != Up)
      return std::nullopt; // runs away from its bound
    return Gap <= 0 ? 0 : static_cast<uint64_t>((Gap + Stride - 1) / Stride);
  case BO_LE:
  case BO_GE:
    if ((Op == BO_LE) != Up)
      return std::nullopt;
    return Gap < 0 ? 0 : static_cast<uint64_t>(Gap / Stride + 1);
  case BO_NE:
    if (Gap < 0 || Gap % Stride != 0)
      return std::nullopt; // steps over its bound
    return static_cast<uint64_t>(Gap / Stride);
  default:
    return std::nullopt;
  }
}

std::optional<uint64_t> forTripCount(const ApiIndex &Api, const ForStmt *F,
                                     ASTContext &Ctx) {
  auto Start = counterStart(Api, F->getInit(), Ctx);
  const auto *Cond = dyn_cast_or_null<BinaryOperator>(asWritten(F->getCond()));
  if (!Start || !Cond || !F->getInc())
    return std::nullopt;
  const ValueDecl *Counter = Start->first;
  std::optional<int64_t> Step = counterStep(Api, F->getInc(), Counter, Ctx);
  if (!Step)
    return std::nullopt;
  // `i < n` or `n > i`: the counter on the left.
  BinaryOperatorKind Op = Cond->getOpcode();
  const Expr *Bound = Cond->getRHS();
  if (namedVariable(Api, Cond->getLHS()) != Counter) {
    if (namedVariable(Api, Cond->getRHS()) != Counter)
      return std::nullopt;
    Bound = Cond->getLHS();
    Op = BinaryOperator::reverseComparisonOp(Op);
  }
  std::optional<int64_t> End = integerConstant(Bound, Ctx);
  if (!End || mayChangeOneOf(Api, F->getBody(), {Counter}))
    return std::nullopt;
  return countedIterations(Start->second, Op, *End, *Step);
}

/// Elements of a range whose size its type or spelling fixes: a C array,
/// a braced list, a container whose model names its size argument
/// (`std::array`).
std::optional<uint64_t> rangeSize(const ApiIndex &Api, const Expr *Range,
                                  ASTContext &Ctx) {
  if (!Range)
    return std::nullopt;
  if (const auto *IL = dyn_cast<InitListExpr>(asWritten(Range)))
    return IL->getNumInits();
  if (const auto *SIL = dyn_cast<CXXStdInitializerListExpr>(Range->IgnoreImplicit()))
    if (const auto *IL = dyn_cast<InitListExpr>(asWritten(SIL->getSubExpr())))
      return IL->getNumInits();
  QualType T = Range->getType().getNonReferenceType();
  if (const auto *CA = Ctx.getAsConstantArrayType(T))
    return CA->getSize().getLimitedValue();
  return Api.fixedSize(T);
}

/// How many times Child, a direct part of Loop, runs: per iteration (the
/// body, the increment, the condition once more), or once (the init and
/// the range). Null when Child is not a part of Loop that repeats.
std::optional<uint64_t> partRuns(const ApiIndex &Api, const Stmt *Loop,
                                 const Stmt *Child, ASTContext &Ctx, bool &Repeats) {
  Repeats = true;
  if (const auto *F = dyn_cast<ForStmt>(Loop)) {
    if (Child == F->getInit()) {
      Repeats = false;
      return 1;
    }
    std::optional<uint64_t> N = forTripCount(Api, F, Ctx);
    if (N && Child == F->getCond())
      return *N + 1;
    return N;
  }
  if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop)) {
    if (Child == R->getInit() || Child == R->getRangeStmt() ||
        Child == R->getBeginStmt() || Child == R->getEndStmt()) {
      Repeats = false;
      return 1;
    }
    return loopTripCount(Api, R, Ctx);
  }
  if (const auto *W = dyn_cast<WhileStmt>(Loop))
    return loopTripCount(Api, W, Ctx);
  if (const auto *D = dyn_cast<DoStmt>(Loop))
    return loopTripCount(Api, D, Ctx);
  Repeats = false;
  return 1;
}

bool contains(const Stmt *Outer, const Stmt *Inner, const SourceManager &SM) {
  SourceRange R = Outer->getSourceRange();
  SourceLocation L = SM.getExpansionLoc(Inner->getBeginLoc());
  return !SM.isBeforeInTranslationUnit(L, SM.getExpansionLoc(R.getBegin())) &&
         !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(R.getEnd()), L);
}

} // namespace

uint64_t countTimes(uint64_t A, uint64_t B) {
  if (A == 0 || B == 0)
    return 0;
  return A > UINT64_MAX / B ? UINT64_MAX : A * B;
}

std::optional<uint64_t> loopTripCount(const ApiIndex &Api, const Stmt *Loop,
                                      ASTContext &Ctx) {
  if (const auto *F = dyn_cast_or_null<ForStmt>(Loop))
    return forTripCount(Api, F, Ctx);
  if (const auto *R = dyn_cast_or_null<CXXForRangeStmt>(Loop))
    return rangeSize(Api, R->getRangeInit(), Ctx);
  // `while` and `do` loops: how long they run is not in their header.
  return std::nullopt;
}

std::optional<uint64_t> runsPerCall(const ApiIndex &Api, const Stmt *S,
                                    ASTContext &Ctx, bool InCycle,
                                    const Stmt *FreshEachIteration) {
  if (!InCycle)
    return 1;
  const SourceManager &SM = Ctx.getSourceManager();
  uint64_t Runs = 1;
  bool Unknown = false, SawLoop = false, Fresh = false;
  walkUpInFunction(S, Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    const auto *Loop = P.get<Stmt>();
    if (!Loop || !(isa<ForStmt, CXXForRangeStmt, WhileStmt, DoStmt>(Loop)))
      return false;
    SawLoop = true;
    if (FreshEachIteration && contains(Loop, FreshEachIteration, SM)) {
      Fresh = true;
      return true;
    }
    bool Repeats = false;
    std::optional<uint64_t> N = partRuns(Api, Loop, Child, Ctx, Repeats);
    if (!Repeats)
      return false;
    if (!N) {
      Unknown = true;
      return true;
    }
    Runs = countTimes(Runs, *N);
    return false;
  });
  // A cycle that no loop statement explains (a goto) has no count.
  if (Unknown || (!SawLoop && !Fresh))
    return std::nullopt;
  return Runs;
}

} // namespace chanlint
