// chan-waitgroup-add-in-task: WaitGroup::add called inside the task it
// accounts for. The launching side may reach wait() before the task has run
// its add: wait() sees a zero count and returns while the task still runs
// (Go's "call Add before the go statement"). A task that adds for the tasks
// it starts itself (a crawler spawning children that report to the same
// group) is fine: that add comes before their launch.
#include "RuleRegistry.h"
#include "SourceEdits.h"
#include "SpawnerSpelling.h"

#include "../ParentIndex.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace chanlint {

namespace {

class AddInTask {
public:
  explicit AddInTask(RuleContext &RC) : RC(RC) {
    for (const Frame &F : RC.Model.frames())
      F.IR->forEachOp([&](const Op &O, OpLocation) {
        O.forEachCallable([&](const Callable &C) {
          if (C.Lambda)
            RunLambdas.insert(C.Lambda);
        });
      });
  }
  void run(std::vector<Finding> &Out);

private:
  bool same(ObjectId A, ObjectId B) {
    return RC.Model.aliases().find(A) == RC.Model.aliases().find(B);
  }
  bool ownWaitGroup(const Party &Task, const Expr *Object, FrameId F);
  bool addsForOthers(const Party &Task, ObjectId Wg);
  bool reportsThroughUnfollowedCall(const Party &Child, ObjectId Wg);
  bool handedToUnseenCode(const Party &Task, ObjectId Wg);
  bool handedIn(const Stmt *S, FrameId F, ObjectId Wg, bool InUnrunLambda);
  void addMoveFix(const Party &Task, FrameId F, const Op &Add, Finding &Out);
  const Stmt *launchSite(const Party &Task) const;
  bool repeats(FrameId F, const Op &O) const;

  RuleContext &RC;
  llvm::DenseSet<const LambdaExpr *> RunLambdas;
};

/// True if the op runs repeatedly within one run of its party: in a loop of
/// its function, or in a function called from a loop.
bool AddInTask::repeats(FrameId F, const Op &O) const {
  if (O.InLoop)
    return true;
  for (FrameId Cur = F; Cur != NoFrame; Cur = RC.Model.frame(Cur).Parent) {
    const Frame &Fr = RC.Model.frame(Cur);
    if (Fr.InLoop)
      return true;
    if (Fr.Parent != NoFrame && RC.Model.op(Fr.Parent, Fr.InvokedAt).InLoop)
      return true;
  }
  return false;
}

/// A wait group made in the task itself (a fresh local of one of its
/// frames, not a parameter or a copy of another handle) cannot account for
/// the task: it did not exist before the task started.
bool AddInTask::ownWaitGroup(const Party &Task, const Expr *Object, FrameId F) {
  AccessPath P = RC.Model.pathOf(Object, F);
  if (!P.Valid || P.Root.K != PathRoot::Kind::Var || !P.Steps.empty() ||
      P.Root.Frame == NoFrame ||
      RC.Model.frame(P.Root.Frame).Party != Task.Id)
    return false;
  const auto *V = static_cast<const ValueDecl *>(P.Root.Ptr);
  const auto *Local = dyn_cast_or_null<VarDecl>(V);
  if (!Local || isa<ParmVarDecl>(Local) || !Local->isLocalVarDecl() ||
      Local->getType()->isReferenceType() || Local->isInitCapture())
    return false;
  const auto *Init = dyn_cast_or_null<CXXConstructExpr>(
      Local->getInit() ? Local->getInit()->IgnoreImplicit() : nullptr);
  return !Local->getInit() || (Init && Init->getNumArgs() == 0);
}

/// A call in the child that the model did not follow (recursion, depth
/// bound) and that is handed the wait group may report to it.
bool AddInTask::reportsThroughUnfollowedCall(const Party &Child, ObjectId Wg) {
  bool Found = false;
  for (FrameId F : Child.Frames)
    RC.Model.frame(F).IR->forEachOp([&](const Op &O, OpLocation L) {
      if (Found || O.Kind != OpKind::Call || !RC.Model.children(F, L).empty())
        return;
      for (const Expr *Arg : O.Target.Args)
        if (Arg && same(RC.Model.objectOf(Arg, F), Wg))
          Found = true;
    });
  return Found;
}

/// True if the wait group reaches code the model does not run as part of
/// the task: a lambda handed to an executor or a callback registry, a
/// function without a body. The task may add for work it hands over there.
bool AddInTask::handedIn(const Stmt *S, FrameId F, ObjectId Wg,
                         bool InUnrunLambda) {
  if (!S)
    return false;
  if (const auto *L = dyn_cast<LambdaExpr>(S)) {
    bool Unrun = InUnrunLambda || !RunLambdas.count(L);
    for (const Expr *Init : L->capture_inits())
      if (Unrun && Init &&
          RC.Api.roleOf(Init->getType()) == TypeRole::WaitGroup &&
          same(RC.Model.objectOf(Init, F), Wg))
        return true;
    return handedIn(L->getBody(), F, Wg, Unrun);
  }
  if (InUnrunLambda)
    if (const auto *E = dyn_cast<Expr>(S);
        E && isa<DeclRefExpr, MemberExpr>(E) &&
        RC.Api.roleOf(E->getType()) == TypeRole::WaitGroup &&
        same(RC.Model.objectOf(E, F), Wg))
      return true;
  if (const auto *Call = dyn_cast<CallExpr>(S)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    const OpRecognizer &R = RC.Model.frame(F).IR->recognizer();
    // std counts as library code for the API models, but a std container
    // or std::function keeps what it is given out of the model's sight.
    bool ChanApi = RC.Api.isModelledApi(Callee);
    bool Unseen = !Callee || (!ChanApi && !RC.Api.spawnerFor(Callee) &&
                              !(R.isUserFunction(Callee) && R.definitionOf(Callee)));
    if (Unseen)
      for (const Expr *Arg : Call->arguments())
        if (Arg && RC.Api.roleOf(Arg->getType()) == TypeRole::WaitGroup &&
            same(RC.Model.objectOf(Arg, F), Wg))
          return true;
  }
  for (const Stmt *C : S->children())
    if (handedIn(C, F, Wg, InUnrunLambda))
      return true;
  return false;
}

bool AddInTask::handedToUnseenCode(const Party &Task, ObjectId Wg) {
  for (FrameId F : Task.Frames) {
    const FunctionDecl *Fn = RC.Model.frame(F).IR->function();
    if (Fn && handedIn(Fn->getBody(), F, Wg, false))
      return true;
  }
  return false;
}

/// True if the task starts other tasks that report to the wait group (or
/// may: through a call the model did not follow), or hands the wait group to
/// code the model cannot see: its adds may account for those.
bool AddInTask::addsForOthers(const Party &Task, ObjectId Wg) {
  const llvm::BitVector &Spawned = RC.Model.spawnClosure(Task.Id);
  for (unsigned T : Spawned.set_bits()) {
    const Party &Child = RC.Model.party(RC.Model.taskParty(T));
    if (Child.Id == Task.Id)
      continue;
    if (RC.Model.reportsTo(Child.Id, Wg) ||
        reportsThroughUnfollowedCall(Child, Wg))
      return true;
  }
  return handedToUnseenCode(Task, Wg);
}

/// The statement that starts the task, when it is a statement of a block
/// (an insertion before it stays in the same place of the same block).
const Stmt *launchStatement(const Stmt *Site, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*Site);
  for (int Depth = 0; Depth < 32; ++Depth) {
    DynTypedNodeList Parents = parentsOf(Ctx, Node);
    if (Parents.empty())
      return nullptr;
    const DynTypedNode &P = Parents[0];
    if (P.get<CompoundStmt>())
      return Node.get<Stmt>();
    // `std::thread t(...)`, `auto f = std::async(...)`: the declaration.
    if (!P.get<Expr>() && !P.get<VarDecl>() && !P.get<DeclStmt>())
      return nullptr;
    Node = P;
  }
  return nullptr;
}

/// Where the launching scope starts the task: the spawn, or, for a lambda
/// handed to a helper that starts it (`spawn(pool, [=] { ... })`), the call
/// of the helper in the scope that wrote the lambda.
const Stmt *AddInTask::launchSite(const Party &Task) const {
  if (!Task.SpawnSite)
    return nullptr;
  FrameId Written = RC.Model.frame(Task.Top).LexicalParent;
  if (Written == NoFrame || Written == Task.SpawnFrame)
    return Task.SpawnSite;
  for (FrameId F = Task.SpawnFrame; F != NoFrame;) {
    const Frame &Fr = RC.Model.frame(F);
    if (Fr.Parent == Written) {
      const Op &Call = RC.Model.op(Written, Fr.InvokedAt);
      return Call.Site ? Call.Site : Task.SpawnSite;
    }
    F = Fr.Parent;
  }
  return Task.SpawnSite;
}

/// Moves `wg.add(n);` from the task's body to just before the statement
/// that starts the task, when the task's body is the lambda written at the
/// launch, the add is one of its own statements, and the launching scope
/// names the wait group the same way.
void AddInTask::addMoveFix(const Party &Task, FrameId F, const Op &Add,
                           Finding &Out) {
  if (F != Task.Top || !Task.SpawnSite || !Task.Body)
    return;
  // The add is a statement of the body itself, not of a branch or a loop.
  const Stmt *AddStmt = enclosingStatement(Add.Site, RC.Ctx);
  const auto *AddExpr = dyn_cast_or_null<Expr>(AddStmt);
  if (!AddExpr || AddExpr->IgnoreImplicit()->IgnoreParens() != Add.Site)
    return;
  DynTypedNodeList Up = parentsOf(RC.Ctx, *AddStmt);
  if (Up.empty() || Up[0].get<Stmt>() != Task.Body->getBody())
    return;
  // The lambda is written at the launch.
  const auto *Method = dyn_cast<CXXMethodDecl>(Task.Body);
  const CXXRecordDecl *Closure = Method ? Method->getParent() : nullptr;
  if (!Closure || !Closure->isLambda())
    return;
  const SourceManager &SM = RC.Ctx.getSourceManager();
  SourceRange Launch = Task.SpawnSite->getSourceRange();
  SourceLocation LambdaLoc = Closure->getLocation();
  if (!SM.isPointWithin(LambdaLoc, Launch.getBegin(), Launch.getEnd()))
    return;
  const Stmt *LaunchStmt = launchStatement(Task.SpawnSite, RC.Ctx);
  std::optional<Spelled> Wg =
      spellInSpawner(RC, Add.Object, F, Task.SpawnFrame);
  std::string Text = sourceText(Add.Site, RC.Ctx);
  if (!LaunchStmt || !Wg || Text.empty())
    return;
  auto Remove = removeStatement(AddStmt, RC.Ctx);
  auto Insert = insertBeforeStatement(LaunchStmt, Text + ";", RC.Ctx);
  if (!Remove || !Insert)
    return;
  Out.Fixes.push_back(*Insert);
  Out.Fixes.push_back(*Remove);
}

void AddInTask::run(std::vector<Finding> &Out) {
  for (const Party &Task : RC.Model.parties()) {
    if (!Task.isTask())
      continue;
    for (FrameId F : Task.Frames) {
      const Frame &Fr = RC.Model.frame(F);
      Fr.IR->forEachOp([&](const Op &O, OpLocation) {
        if (O.Kind != OpKind::WgAdd || !O.Object || !O.Site)
          return;
        // An add that repeats within the task counts items, not the task
        // (a worker that adds for each job it queues and calls done() for
        // each job it finishes).
        if (repeats(F, O))
          return;
        ObjectId Wg = RC.Model.objectOf(O.Object, F);
        if (!RC.Model.reportsTo(Task.Id, Wg) || ownWaitGroup(Task, O.Object, F) ||
            addsForOthers(Task, Wg))
          return;
        std::string Name = sourceText(O.Object, RC.Ctx);
        if (Name.empty())
          Name = "wait group";
        Finding Fd;
        Fd.Loc = O.Site->getBeginLoc();
        Fd.Range = O.Site->getSourceRange();
        const auto *Call = dyn_cast<CXXMemberCallExpr>(O.Site);
        const auto *Callee = Call ? dyn_cast<MemberExpr>(
                                        Call->getCallee()->IgnoreParens())
                                  : nullptr;
        std::string Sep = Callee && Callee->isArrow() ? "->" : ".";
        Fd.Message = "'" + Name + Sep +
                     "add' is called inside the task it accounts for; a "
                     "wait() that runs before the task starts returns at once";
        if (const Stmt *Launch = launchSite(Task))
          Fd.Notes.push_back({Launch->getBeginLoc(),
                              "the task is started here; call add() before "
                              "this line",
                              false});
        addMoveFix(Task, F, O, Fd);
        Out.push_back(std::move(Fd));
      });
    }
  }
}

void checkAddInTask(RuleContext &RC, std::vector<Finding> &Out) {
  AddInTask(RC).run(Out);
}

RuleRegistry::Add Register("chan-waitgroup-add-in-task", checkAddInTask);

} // namespace

} // namespace chanlint
