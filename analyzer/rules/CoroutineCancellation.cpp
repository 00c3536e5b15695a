#include "CoroutineCancellation.h"

#include "../StatementWrites.h"

#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <algorithm>

using namespace clang;

namespace chanlint {

namespace {

/// How deep the coroutines a body awaits (and the helpers it calls) are
/// searched for a call that keeps a cancelled coroutine going.
constexpr unsigned MaxCallDepth = 3;

/// The model of the coroutine type Fn returns (`awaitable<void>`), or null.
const CoroutineModel *coroutineModelOf(const FunctionDecl *Fn, const ApiIndex &Api) {
  const auto *RD = Fn->getReturnType()->getAsCXXRecordDecl();
  if (!RD)
    return nullptr;
  const NamedDecl *D = RD;
  if (const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(RD))
    D = Spec->getSpecializedTemplate();
  std::string Name = Api.qualifiedName(D);
  const CoroutineModel *Found = nullptr; // a later model refines an earlier one
  for (const auto &M : Api.models().models())
    for (const CoroutineModel &C : M->Coroutines)
      if (C.Type == Name)
        Found = &C;
  return Found;
}

bool calls(const CallExpr *Call, const Names &Functions, const ApiIndex &Api) {
  const FunctionDecl *F = Call->getDirectCallee();
  return F && llvm::is_contained(Functions, Api.qualifiedName(F));
}

/// The first call in S for which Pick holds, also in the bodies of the user
/// functions S calls (the coroutines it awaits), up to MaxCallDepth deep.
/// Lambdas written in S run elsewhere: not searched.
class CallSearch {
public:
  CallSearch(const OpRecognizer &R, llvm::function_ref<bool(const CallExpr *)> Pick)
      : R(R), Pick(Pick) {}

  const CallExpr *in(const Stmt *S, unsigned Depth = 0) {
    if (!S || isa<LambdaExpr>(S))
      return nullptr;
    if (const auto *Call = dyn_cast<CallExpr>(S)) {
      if (Pick(Call))
        return Call;
      if (const FunctionDecl *Body = userBody(Call->getDirectCallee());
          Body && Depth < MaxCallDepth && Seen.insert(Body).second)
        if (in(bodyOf(Body), Depth + 1))
          return Call; // the call that leads to it, in S
    }
    for (const Stmt *C : S->children())
      if (const CallExpr *Found = in(C, Depth))
        return Found;
    return nullptr;
  }

  /// A coroutine's own statements, without the promise's implicit calls.
  static const Stmt *bodyOf(const FunctionDecl *F) {
    const Stmt *Body = F->getBody();
    if (const auto *Coro = dyn_cast_or_null<CoroutineBodyStmt>(Body))
      return Coro->getBody();
    return Body;
  }

private:
  const FunctionDecl *userBody(const FunctionDecl *F) const {
    return F && R.isUserFunction(F) ? R.definitionOf(F) : nullptr;
  }

  const OpRecognizer &R;
  llvm::function_ref<bool(const CallExpr *)> Pick;
  llvm::DenseSet<const FunctionDecl *> Seen;
};

} // namespace

LoopCancellation cancellingCoroutine(const FunctionIR &IR, unsigned LoopBlock) {
  const OpRecognizer &R = IR.recognizer();
  const ApiIndex &Api = R.api();
  const CoroutineModel *Coro = coroutineModelOf(IR.function(), Api);
  if (!Coro || !Coro->CancelledAwaitThrows)
    return {};
  LoopCancellation Result;
  // The throw is one setting for the whole coroutine: turned off anywhere
  // in it, or in a coroutine it awaits, it may be off in the loop.
  ASTContext &Ctx = R.context();
  auto TurnsOff = [&](const CallExpr *Call) {
    if (!calls(Call, Coro->ThrowIfCancelled, Api) || Call->getNumArgs() == 0)
      return false;
    std::optional<int64_t> On = integerConstant(Call->getArg(0), Ctx);
    return !On || *On == 0;
  };
  if (const CallExpr *Off = CallSearch(R, TurnsOff).in(CallSearch::bodyOf(IR.function())))
    return {false, Off, false};
  // A request cleared before the loop is harmless; inside it, every
  // cancellation is forgotten before the next co_await.
  auto Resets = [&](const CallExpr *Call) {
    return calls(Call, Coro->ResetCancellation, Api);
  };
  CallSearch InLoop(R, Resets);
  for (const CFGBlock *B : IR.cfg()) {
    unsigned Id = B->getBlockID();
    bool InCycle = Id == LoopBlock ? IR.inLoop(Id)
                                   : IR.reaches(LoopBlock, Id) && IR.reaches(Id, LoopBlock);
    if (!InCycle)
      continue;
    for (const CFGElement &E : *B)
      if (auto S = E.getAs<CFGStmt>())
        if (const CallExpr *Reset = InLoop.in(S->getStmt()))
          return {false, Reset, true};
  }
  Result.Ends = true;
  return Result;
}

} // namespace chanlint
