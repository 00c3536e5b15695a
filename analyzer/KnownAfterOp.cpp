#include "KnownAfterOp.h"

#include "ApiIndex.h"
#include "StatementWrites.h"
#include "engine/OrderFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace chanlint {

namespace {

/// A store into a variable of an outer frame, with the constant it stores.
struct OuterStore {
  const Stmt *S = nullptr;
  const ValueDecl *Target = nullptr;
  std::optional<int64_t> Value; ///< none: not a plain store of a constant
};

/// Stores in a body into variables that are not its own locals.
void collectOuterStores(const ApiIndex &Api, const Stmt *S, const FunctionDecl *Fn,
                        ASTContext &Ctx, std::vector<OuterStore> &Out) {
  if (!S || isa<LambdaExpr>(S))
    return; // a lambda's body is another frame
  if (std::optional<Store> W = storeOf(Api, S);
      W && W->Target && !isa<DeclStmt>(S) && W->Target->getDeclContext() != Fn)
    Out.push_back({S, W->Target, W->Plain ? integerConstant(W->Value, Ctx) : std::nullopt});
  for (const Stmt *C : S->children())
    collectOuterStores(Api, C, Fn, Ctx, Out);
}

/// The constants a function body leaves in outer variables after its op At
/// (from its entry when At is none): a variable every store of which in the
/// body stores the same constant, with one of those stores on every path
/// after At or at the top of the body.
void valuesLeftBy(const FunctionIR &IR, std::optional<OpLocation> At,
                  llvm::DenseMap<const ValueDecl *, std::optional<int64_t>> &Out) {
  const FunctionDecl *Fn = IR.function();
  ASTContext &Ctx = Fn->getASTContext();
  std::vector<OuterStore> Stores;
  collectOuterStores(IR.recognizer().api(), Fn->getBody(), Fn, Ctx, Stores);
  const auto *Top = dyn_cast_or_null<CompoundStmt>(Fn->getBody());
  const engine::OrderFacts &O = IR.order(engine::ExceptionEdges::Throws);
  llvm::DenseMap<const ValueDecl *, std::optional<int64_t>> Here;
  for (const OuterStore &W : Stores) {
    if (Here.count(W.Target))
      continue;
    bool Same = W.Value && llvm::all_of(Stores, [&](const OuterStore &Y) {
                  return Y.Target != W.Target || Y.Value == W.Value;
                });
    bool Sets = Same && llvm::any_of(Stores, [&](const OuterStore &Y) {
                  if (Y.Target != W.Target)
                    return false;
                  if (Top && llvm::is_contained(Top->body(), Y.S))
                    return true;
                  auto IsStore = [&](const engine::FlowStep &P) {
                    return P.stmt() == Y.S;
                  };
                  return At ? O.onEveryPathAfter(*At, IsStore)
                            : O.onEveryPath(IsStore);
                });
    Here[W.Target] = Sets ? W.Value : std::nullopt;
  }
  // An outer frame's stores come after the inner frame returned: they win.
  for (const auto &[D, V] : Here)
    Out[D] = V;
}

/// The select returned Case: its result, and `ctx.err()` other than "none"
/// for a case on `ctx.done()`.
void selectChose(const Op &Select, unsigned Case, const ApiIndex &Api,
                 engine::KnownAfter &K) {
  K.Result = dyn_cast_or_null<Expr>(Select.Site);
  K.ResultValue = Case;
  if (const Expr *Ctx = Api.contextOfDone(Select.Cases[Case].Channel))
    if (auto Live = Api.liveContextError(Ctx->getType()))
      if (const ValueDecl *D = namedVariable(Api, Ctx))
        K.Differs.push_back({D, Live->Method, Live->Value});
}

/// Keeps the known constants, innermost frame's first (so that an outer
/// frame's stores override), up to the walk's bound.
void keepValues(llvm::ArrayRef<const ValueDecl *> Order,
                const llvm::DenseMap<const ValueDecl *, std::optional<int64_t>> &Values,
                engine::KnownAfter &K) {
  for (const ValueDecl *D : Order)
    if (std::optional<int64_t> V = Values.lookup(D);
        V && K.Values.size() < engine::KnownValues::MaxSlots)
      K.Values.push_back({D, *V});
}

} // namespace

engine::KnownAfter knownAfterOp(const ProgramModel &M, FrameId Top, OpLocation At,
                                llvm::ArrayRef<FrameStep> Below, int EventCase) {
  engine::KnownAfter K;
  const Frame &TopFrame = M.frame(Top);
  const Op &O = M.op(Top, At);

  // The select returned the case the event is in (or under).
  std::optional<unsigned> Case;
  if (O.Kind == OpKind::Select) {
    if (Below.empty() && EventCase >= 0)
      Case = static_cast<unsigned>(EventCase);
    for (unsigned I = 0; !Below.empty() && I < O.Cases.size() && !Case; ++I)
      if (M.caseFrame(Top, At, I) == Below.front().first)
        Case = I;
  }
  if (Case)
    selectChose(O, *Case, TopFrame.IR->recognizer().api(), K);

  // A helper that gives back one known value after the event
  // (`bool step() { ...; return stop; }` with stop set by the closing case).
  if (O.Kind == OpKind::Call && !Below.empty()) {
    const auto &[Callee, CalleeOp] = Below.front();
    engine::KnownAfter Inner =
        knownAfterOp(M, Callee, CalleeOp, Below.drop_front(),
                     Below.size() == 1 ? EventCase : -1);
    const engine::OrderFacts &Order = M.frame(Callee).IR->order(
        Inner.OnlyByThrow ? engine::ExceptionEdges::ThrowsAndCalls
                          : engine::ExceptionEdges::Throws);
    if (std::optional<int64_t> V = Order.returnedAfter(CalleeOp, Inner)) {
      K.Result = dyn_cast_or_null<Expr>(O.Site);
      K.ResultValue = *V;
    }
  }

  // Innermost frame first, so that an outer frame's stores override.
  llvm::DenseMap<const ValueDecl *, std::optional<int64_t>> Values;
  llvm::SmallVector<const ValueDecl *, 4> Order;
  for (const auto &[F, Op] : llvm::reverse(Below)) {
    const Frame &Fr = M.frame(F);
    if (!Fr.IR->order(engine::ExceptionEdges::Throws).mayReturnAfter(Op))
      K.OnlyByThrow = true;
    llvm::DenseMap<const ValueDecl *, std::optional<int64_t>> Here;
    valuesLeftBy(*Fr.IR, Op, Here);
    for (const auto &[D, V] : Here) {
      if (!Values.count(D))
        Order.push_back(D);
      Values[D] = V;
    }
  }
  keepValues(Order, Values, K);
  return K;
}

engine::KnownAfter knownAfterCase(const Op &Select, unsigned Case,
                                  const FunctionIR *Callback, const ApiIndex &Api) {
  engine::KnownAfter K;
  if (Case >= Select.Cases.size())
    return K;
  selectChose(Select, Case, Api, K);
  if (!Callback)
    return K;
  llvm::DenseMap<const ValueDecl *, std::optional<int64_t>> Values;
  valuesLeftBy(*Callback, std::nullopt, Values);
  llvm::SmallVector<const ValueDecl *, 4> Order;
  for (const auto &[D, V] : Values)
    Order.push_back(D);
  llvm::sort(Order, [](const ValueDecl *A, const ValueDecl *B) {
    return A->getBeginLoc() < B->getBeginLoc(); // the map's order is not stable
  });
  keepValues(Order, Values, K);
  return K;
}

} // namespace chanlint
