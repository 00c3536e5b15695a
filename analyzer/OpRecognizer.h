// Turns statements into Ops and alias facts, asking the ApiIndex what each
// call means. Knows the shapes of the library's API (select cases, spawner
// arguments, Defer callables) but nothing about dataflow.
#pragma once

#include "ApiIndex.h"
#include "Operation.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/StmtCXX.h"

#include <optional>
#include <vector>

namespace chanlint {

class OpRecognizer {
public:
  OpRecognizer(const ApiIndex &Api, clang::ASTContext &Ctx)
      : Api(Api), Ctx(Ctx) {}

  /// The op a statement (a CFG element) performs, if any.
  std::optional<Op> recognize(const clang::Stmt *S) const;
  /// The op a variable performs when it goes out of scope (Defer runs its
  /// callable, a jthread joins, a future from async waits).
  std::optional<Op> recognizeScopeExit(const clang::VarDecl *V) const;
  /// Range-for over a channel.
  std::optional<Op> recognizeRangeFor(const clang::CXXForRangeStmt *S) const;

  /// Alias facts a statement establishes (initialisations, assignments,
  /// insertions into containers, returns, range-for element variables).
  void collectFacts(const clang::Stmt *S, std::vector<AliasFact> &Out) const;
  void collectInitializerFacts(const clang::CXXConstructorDecl *Ctor,
                               std::vector<AliasFact> &Out) const;

  /// The function body a callable expression runs, with bound arguments.
  Callable resolveCallable(const clang::Expr *E,
                           llvm::ArrayRef<const clang::Expr *> Args) const;

  /// Strips parens, implicit casts, temporaries, copies of handles and the
  /// models' moves and wraps (std::move, std::ref, boost::ref).
  const clang::Expr *strip(const clang::Expr *E) const;
  /// True for a function whose body the analysis should walk into.
  bool isUserFunction(const clang::FunctionDecl *F) const;
  /// The definition to analyse for a callee, or null.
  const clang::FunctionDecl *definitionOf(const clang::FunctionDecl *F) const;

  const ApiIndex &api() const { return Api; }
  clang::ASTContext &context() const { return Ctx; }

  /// True if S runs inside a try block (of the same function body) with a
  /// handler for a send on a closed channel.
  bool catchesClosedChannel(const clang::Stmt *S) const;

  /// The role of a member call, including calls in uninstantiated templates.
  MethodRole memberRole(const clang::CallExpr *Call,
                        const clang::Expr **Object) const;

private:
  std::optional<Op> recognizeCall(const clang::CallExpr *Call) const;
  std::optional<Op> recognizeConstruct(const clang::CXXConstructExpr *E) const;
  std::optional<Op> recognizeSelect(const clang::CallExpr *Call) const;
  std::optional<SelectCase> selectCase(const clang::Expr *Arg) const;
  /// Which argument of a spawner's call holds what it starts, if any.
  std::optional<unsigned> callableIndex(const SpawnerModel &S,
                                        llvm::ArrayRef<const clang::Expr *> Args) const;
  /// The coroutine call an awaitable argument was made by
  /// (`co_spawn(ex, produce(ch), detached)`), as a callable with its
  /// arguments bound; invalid when E is not such a call.
  Callable awaitableCall(const clang::Expr *E) const;
  /// True if Call makes the awaitable a spawner starts as a task: its body
  /// does not run where it is called.
  bool startedBySpawner(const clang::CallExpr *Call) const;
  /// True if the argument after the task is one of the spawner's
  /// awaited_tokens and its result is co_awaited at once
  /// (`co_await co_spawn(ex, task(), use_awaitable)`): the awaiting party
  /// waits there for the task to end.
  bool awaitedAtOnce(const clang::CallExpr *Call, const SpawnerModel &S) const;
  std::optional<Op> spawnOp(const clang::Stmt *Site, const SpawnerModel &S,
                            llvm::ArrayRef<const clang::Expr *> Args,
                            const clang::Expr *GroupObject) const;
  std::optional<Op> containerSpawn(const clang::CXXMemberCallExpr *Call) const;
  /// A spawn of a container's element: the callables stored into it
  /// (StoredCallables.h).
  void resolveElementTargets(const clang::Expr *Callee,
                             llvm::ArrayRef<const clang::Expr *> Args,
                             Op &Spawn) const;
  TaskHandle handleOf(const clang::Expr *Produced, bool &Discarded) const;
  const clang::FunctionDecl *lambdaBody(const clang::LambdaExpr *L) const;
  void recordInitFacts(const clang::ValueDecl *V, const clang::Expr *Init,
                       llvm::SmallVector<PathStep, 2> Steps,
                       std::vector<AliasFact> &Out) const;

  const ApiIndex &Api;
  clang::ASTContext &Ctx;
};

} // namespace chanlint
