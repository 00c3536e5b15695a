// chan-task-never-exits: a loop in a task that can never end, so the task
// never returns and leaks with everything it holds:
//  - a range-for over a channel (or a receive loop that leaves only once
//    the channel is closed) when no party ever closes the channel, and the
//    channel is a local of this program that no unseen code can reach;
//  - a loop that waits on channels and has no way out at all: no path from
//    it to the end of the function (a ticker loop with no cancellation
//    case that leaves it).
// Tasks only: an entry function's endless loop is a program's main loop.
// A loop whose wait ends when another party interrupts the task's thread
// (Boost.Thread's interrupt(), Interruption.h) has that way out.
#include "Interruption.h"
#include "ReceiveLoops.h"
#include "RuleRegistry.h"
#include "SourceEdits.h"

#include "engine/FlowGraph.h"
#include "ParentIndex.h"
#include "StatementWrites.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"

#include <optional>

using namespace clang;

namespace chanlint {

namespace {

/// The local variable a channel creation initialises, or null.
const VarDecl *createdVariable(const Expr *Site, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*Site);
  for (int Depth = 0; Depth < 6; ++Depth) {
    DynTypedNodeList Parents = parentsOf(Ctx, Node);
    if (Parents.empty())
      return nullptr;
    if (const auto *V = Parents[0].get<VarDecl>())
      return V->isLocalVarDecl() && !V->isStaticLocal() &&
                     !V->getType()->isReferenceType()
                 ? V
                 : nullptr;
    const auto *E = Parents[0].get<Expr>();
    if (!E || !isa<ImplicitCastExpr, ExprWithCleanups, MaterializeTemporaryExpr,
                   CXXBindTemporaryExpr, CXXFunctionalCastExpr,
                   CXXConstructExpr>(E))
      return nullptr;
    Node = Parents[0];
  }
  return nullptr;
}

/// The channel of a ticker or timer (`t.c()`) or of `chan::after(d)`: the
/// library sends on it and never closes it.
bool isTimerChannel(const Expr *E, const OpRecognizer &R) {
  E = E ? R.strip(E) : nullptr;
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  if (!Call)
    return false;
  const Expr *Object = nullptr;
  if (R.memberRole(Call, &Object) == MethodRole::TimerChannel)
    return true;
  const FunctionDecl *Callee = Call->getDirectCallee();
  return Callee && R.api().roleOf(Callee) == FunctionRole::After;
}

/// The first parent of a node, or an empty node.
DynTypedNode parentOf(const DynTypedNode &N, ASTContext &Ctx) {
  DynTypedNodeList Parents = parentsOf(Ctx, N);
  return Parents.empty() ? DynTypedNode() : Parents[0];
}

/// Nodes that pass a value on unchanged.
bool isWrapper(const Stmt *S) {
  if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(S))
    return FC->getCastKind() == CK_NoOp ||
           FC->getCastKind() == CK_ConstructorConversion;
  return isa<ParenExpr, ImplicitCastExpr, MaterializeTemporaryExpr,
             CXXBindTemporaryExpr, ExprWithCleanups, ConstantExpr>(S);
}

/// Does a channel made in a local variable stay inside code the model
/// follows, and does no code close it? Every use of the variable (and of the
/// copies, views, captures and parameters it flows into) must be one the
/// model sees in full: an operation of the library other than close, a
/// range-for, a capture by a lambda that a modelled task, Defer or callback
/// runs, an argument of a helper whose parameter stays contained in turn.
/// Anything else lets unseen code reach the channel, and unseen code may
/// close it: returned, assigned, stored in a container, a struct or a
/// std::function, passed to a function without a body.
class LocalChannel {
public:
  LocalChannel(RuleContext &RC, const OpRecognizer &R) : RC(RC), R(R) {
    for (const Frame &F : RC.Model.frames())
      F.IR->forEachOp([&](const Op &O, OpLocation) {
        if (O.Site && (O.Kind == OpKind::Spawn || O.Kind == OpKind::Call ||
                       O.Kind == OpKind::OnceCall ||
                       O.Kind == OpKind::DeferRun))
          Ops.try_emplace(O.Site, &O);
        O.forEachCallable([&](const Callable &C) {
          if (C.Lambda)
            RunLambdas.insert(C.Lambda);
        });
      });
  }

  /// True if the variable never reaches code the model cannot see, and no
  /// code closes it.
  bool contained(const VarDecl *V) {
    Visiting.clear();
    return varContained(V, 0, false);
  }

private:
  static constexpr unsigned MaxDepth = 4;

  const Stmt *bodyOf(const VarDecl *V) const {
    const auto *F = dyn_cast<FunctionDecl>(V->getDeclContext());
    return F ? F->getBody() : nullptr;
  }

  /// Every reference to V in the body of the function that declares it
  /// (lambdas written there included) is contained. Callable: V holds a
  /// lambda that captures the channel.
  bool varContained(const VarDecl *V, unsigned Depth, bool Callable) {
    if (!Visiting.insert(V).second)
      return true; // being checked further up
    const Stmt *Body = bodyOf(V);
    if (!Body)
      return false;
    llvm::SmallVector<const DeclRefExpr *, 8> Refs;
    referencesTo(Body, V, Refs);
    for (const DeclRefExpr *Ref : Refs)
      if (!(Callable ? callableUseContained(Ref, Depth)
                     : valueContained(Ref, Depth)))
        return false;
    return true;
  }

  /// A variable initialised with the channel (or the callable).
  bool initContained(const VarDecl *V, unsigned Depth, bool Callable) {
    if (V->isImplicit()) {
      // The range of a range-for: `auto &&__range = ch;`.
      DynTypedNode DS = parentOf(DynTypedNode::create(*V), RC.Ctx);
      DynTypedNode Loop = DS.get<DeclStmt>()
                              ? parentOf(DS, RC.Ctx)
                              : DynTypedNode();
      const auto *For = Loop.get<CXXForRangeStmt>();
      return !Callable && For && For->getRangeStmt() == DS.get<DeclStmt>();
    }
    if (V->isInitCapture() || !V->isLocalVarDecl() || V->isStaticLocal())
      return false;
    return varContained(V, Depth, Callable);
  }

  /// An argument of a call or construction: what the callee does with it.
  bool argContained(const Expr *Call, const Expr *Arg, unsigned Depth,
                    bool Callable) {
    if (Depth >= MaxDepth)
      return false;
    const Expr *Stripped = R.strip(Arg);
    if (auto It = Ops.find(Call); It != Ops.end()) {
      const Op &O = *It->second;
      for (unsigned I = 0; I < O.Target.Args.size(); ++I)
        if (O.Target.Args[I] && R.strip(O.Target.Args[I]) == Stripped)
          return O.Target.valid() &&
                 paramContained(O.Target.Body, I, Depth + 1, Callable);
      // The callable the op runs: a task, a Defer, a Once.
      if (Callable && O.Kind != OpKind::Call)
        return true;
    }
    const FunctionDecl *Callee = nullptr;
    unsigned Index = ~0u;
    if (const auto *CE = dyn_cast<CallExpr>(Call)) {
      Callee = CE->getDirectCallee();
      for (unsigned I = 0; I < CE->getNumArgs(); ++I)
        if (R.strip(CE->getArg(I)) == Stripped)
          Index = I;
      if (isa<CXXOperatorCallExpr>(CE) && isa_and_nonnull<CXXMethodDecl>(Callee))
        --Index; // the object is argument 0
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(Call)) {
      Callee = CE->getConstructor();
      for (unsigned I = 0; I < CE->getNumArgs(); ++I)
        if (R.strip(CE->getArg(I)) == Stripped)
          Index = I;
      if (RC.Api.spawnerForConstruction(CE->getType()))
        return Callable; // a thread started with the callable
    }
    if (!Callee || Index == ~0u)
      return false;
    if (RC.Api.isModelledApi(Callee))
      return true; // select cases, Defer, Once: the model follows them
    if (RC.Api.spawnerFor(Callee))
      return Callable;
    if (isa<CXXConstructorDecl>(Callee) || !R.isUserFunction(Callee))
      return false; // stored in an object, or a std or unknown function
    const FunctionDecl *Def = R.definitionOf(Callee);
    return Def && paramContained(Def, Index, Depth + 1, Callable);
  }

  bool paramContained(const FunctionDecl *F, unsigned I, unsigned Depth,
                      bool Callable) {
    if (!F || I >= F->getNumParams() || Depth > MaxDepth ||
        isa<CXXConstructorDecl>(F))
      return false;
    return varContained(F->getParamDecl(I), Depth, Callable);
  }

  /// A lambda that captures the channel: it must be run by something the
  /// model follows.
  bool lambdaContained(const LambdaExpr *L, unsigned Depth) {
    if (RunLambdas.count(L))
      return true;
    return callableContained(DynTypedNode::create(*L), L->getLambdaClass(), Depth);
  }

  /// A use of a variable that holds a lambda capturing the channel.
  bool callableUseContained(const DeclRefExpr *Ref, unsigned Depth) {
    return callableContained(DynTypedNode::create(*Ref),
                             Ref->getType()->getAsCXXRecordDecl(), Depth);
  }

  /// Where a callable (of closure type Closure) ends up: through wrappers,
  /// copies of the closure and std::move/forward, to a variable it
  /// initialises, a call of it on the spot, or an argument of a call.
  bool callableContained(DynTypedNode Node, const CXXRecordDecl *Closure,
                         unsigned Depth) {
    for (int Guard = 0; Guard < 16; ++Guard) {
      DynTypedNode P = parentOf(Node, RC.Ctx);
      if (const auto *V = P.get<VarDecl>())
        return initContained(V, Depth, true);
      const Stmt *PS = P.get<Stmt>();
      if (!PS)
        return false;
      const auto *CE = dyn_cast<CXXConstructExpr>(PS);
      if (isWrapper(PS) || (CE && CE->getNumArgs() == 1 && Closure &&
                            CE->getType()->getAsCXXRecordDecl() == Closure)) {
        Node = P;
        continue;
      }
      const Expr *Arg = Node.get<Expr>();
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(PS))
        if (OC->getOperator() == OO_Call && OC->getArg(0) == Arg)
          return true; // called on the spot
      if (const auto *Call = dyn_cast<CallExpr>(PS);
          Call && Arg && RC.Api.movedArgument(Call)) {
        Node = P;
        continue;
      }
      if (isa<CallExpr, CXXConstructExpr>(PS) && Arg)
        return argContained(cast<Expr>(PS), Arg, Depth, true);
      return false;
    }
    return false;
  }

  /// A use of a channel handle.
  bool valueContained(const Expr *E, unsigned Depth) {
    DynTypedNode Node = DynTypedNode::create(*E);
    for (int Guard = 0; Guard < 24; ++Guard) {
      DynTypedNode P = parentOf(Node, RC.Ctx);
      if (const auto *V = P.get<VarDecl>())
        return initContained(V, Depth, false);
      const Stmt *PS = P.get<Stmt>();
      if (!PS)
        return false; // a member initialiser, a default argument...
      const Expr *Cur = Node.get<Expr>();
      if (!Cur)
        return false;
      if (isWrapper(PS)) {
        Node = P;
        continue;
      }
      if (const auto *CE = dyn_cast<CXXConstructExpr>(PS)) {
        if (CE->getNumArgs() == 1 &&
            RC.Api.roleOf(CE->getType()) == TypeRole::Channel) {
          Node = P; // a copy or a view of the handle
          continue;
        }
        return argContained(CE, Cur, Depth, false);
      }
      if (isa<MemberExpr>(PS)) {
        const auto *Call =
            parentOf(P, RC.Ctx).get<CXXMemberCallExpr>();
        const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
        if (!M || Call->getCallee()->IgnoreParens() != PS ||
            !RC.Api.isModelledApi(M))
          return false;
        MethodRole Role = RC.Api.roleOf(M);
        if (Role == MethodRole::Close)
          return false; // closed here
        if (Role == MethodRole::View) {
          Node = DynTypedNode::create(*static_cast<const Stmt *>(Call));
          continue;
        }
        return true; // send, recv, size...
      }
      if (const auto *L = dyn_cast<LambdaExpr>(PS))
        return lambdaContained(L, Depth);
      if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(PS)) {
        const FunctionDecl *Callee = OC->getDirectCallee();
        if (OC->isAssignmentOp() || !Callee)
          return false;
        if (RC.Api.isModelledApi(Callee) || OC->isComparisonOp())
          return true; // ==, !=
        return argContained(OC, Cur, Depth, false);
      }
      if (const auto *Call = dyn_cast<CallExpr>(PS)) {
        if (RC.Api.movedArgument(Call)) {
          Node = P;
          continue;
        }
        if (Call->getCallee() == Cur)
          return false;
        return argContained(Call, Cur, Depth, false);
      }
      if (isa<CXXForRangeStmt>(PS))
        return true;
      return false; // returned, in an initialiser list, its address taken...
    }
    return false;
  }

  RuleContext &RC;
  const OpRecognizer &R;
  llvm::DenseMap<const Stmt *, const Op *> Ops;
  llvm::DenseSet<const LambdaExpr *> RunLambdas;
  llvm::DenseSet<const VarDecl *> Visiting;
};

class NeverExits {
public:
  explicit NeverExits(RuleContext &RC) : RC(RC) {}
  void run(std::vector<Finding> &Out);

private:
  const VarDecl *neverClosed(ObjectId Channel, const OpRecognizer &R);
  void checkFrame(const Party &Task, FrameId F, std::vector<Finding> &Out);
  void noteTask(const Party &Task, Finding &F) const;

  RuleContext &RC;
  std::optional<LocalChannel> Locals;
};

/// The local variable the channel is made in, when no party closes the
/// channel and no code the model cannot see may reach it; otherwise null.
const VarDecl *NeverExits::neverClosed(ObjectId Channel,
                                       const OpRecognizer &R) {
  AliasSets &A = RC.Model.aliases();
  for (const Event &E : RC.Model.events())
    if (E.K == Event::Kind::Close && A.find(E.Channel) == A.find(Channel))
      return nullptr;
  const ChannelCreation *C = RC.Model.creationOf(Channel);
  if (!C || !C->Site)
    return nullptr; // made elsewhere: someone else may close it
  const VarDecl *V = createdVariable(C->Site, RC.Ctx);
  if (!V)
    return nullptr;
  if (!Locals)
    Locals.emplace(RC, R);
  return Locals->contained(V) ? V : nullptr;
}

/// True if the function's end is reachable from the block: along clang's
/// CFG (a return, a break, an explicit throw), or through an exception that
/// a call throws and a handler of the same function catches (a loop inside
/// `try { ... } catch (const chan::closed_channel_error &) {}` ends when
/// the channel it sends on is closed).
bool mayReachEnd(const FunctionIR &IR, unsigned From) {
  unsigned Exit = IR.cfg().getExit().getBlockID();
  if (IR.reaches(From, Exit))
    return true;
  const engine::FlowGraph &G = IR.flow(engine::ExceptionEdges::ThrowsAndCalls);
  std::vector<bool> Seen(G.numBlocks(), false);
  std::vector<unsigned> Work{From};
  Seen[From] = true;
  while (!Work.empty()) {
    unsigned B = Work.back();
    Work.pop_back();
    if (B == G.exit())
      return true;
    auto Visit = [&](const engine::FlowEdge &E) {
      if (E.To == engine::FlowEdge::Unwind || E.To >= Seen.size() || Seen[E.To])
        return;
      Seen[E.To] = true;
      Work.push_back(E.To);
    };
    for (const engine::FlowEdge &E : G.succs(B))
      Visit(E);
    for (const engine::FlowEdge &E : G.throwsFrom(B))
      Visit(E);
  }
  return false;
}

void NeverExits::noteTask(const Party &Task, Finding &F) const {
  if (Task.SpawnSite)
    F.Notes.push_back({Task.SpawnSite->getBeginLoc(),
                       "the task is started here", false});
}

void NeverExits::checkFrame(const Party &Task, FrameId F,
                            std::vector<Finding> &Out) {
  const FunctionIR &IR = *RC.Model.frame(F).IR;
  unsigned Exit = IR.cfg().getExit().getBlockID();
  IR.forEachOp([&](const Op &O, OpLocation L) {
    if (!O.Site || interruptEndsWait(RC, Task.Id, O.Site))
      return;
    // A loop that ends only when a channel nobody closes is closed: by its
    // test of the received value, or by the throw of a receive that the
    // model says throws on a closed channel (Asio's async_receive awaited
    // with use_awaitable, Boost.Fiber's value_pop). A loop whose own
    // condition tests a flag (`while (running)`) has another way out: the
    // party that clears the flag may send a wake-up value, as services
    // stop a worker on a queue that has no close (moodycamel's).
    bool RecvLoop = O.Kind == OpKind::Recv && O.InLoop &&
                    enclosingLoop(O.Site, RC.Ctx) &&
                    !recvLoopEarlyExit(RC.Api, O.Site, RC.Ctx) &&
                    !recvLoopConditionExit(O.Site, RC.Ctx);
    const OnClosed *OnClose = RC.Api.onClosed(O.Site);
    bool ThrowsOnClose = OnClose && OnClose->What == OnClosed::Kind::Throws &&
                         !IR.recognizer().catchesClosedChannel(O.Site);
    bool ClosedOnly =
        (O.Kind == OpKind::RangeRecv && !rangeLoopExitsEarly(O.Site)) ||
        (RecvLoop && (IR.reaches(L.Block, Exit) || ThrowsOnClose));
    if (ClosedOnly && O.Object && isTimerChannel(O.Object, IR.recognizer())) {
      // Nobody can close a ticker's or timer's channel: stop() does not.
      const Stmt *Loop =
          O.Kind == OpKind::RangeRecv ? O.Site : enclosingLoop(O.Site, RC.Ctx);
      Finding Fd;
      Fd.Loc = Loop->getBeginLoc();
      Fd.Range = Loop->getSourceRange();
      Fd.Message = "task never exits: this loop ends only when '" +
                   channelName(O.Object, RC.Ctx) +
                   "' is closed, and the channel of a ticker or timer is "
                   "never closed";
      Fd.Notes.push_back({O.Object->getBeginLoc(),
                          "receive from it in a select with a case on a "
                          "context or stop channel that leaves the loop",
                          false});
      noteTask(Task, Fd);
      Out.push_back(std::move(Fd));
      return;
    }
    if (ClosedOnly && O.Object) {
      ObjectId Ch = RC.Model.objectOf(O.Object, F);
      if (const VarDecl *Made = neverClosed(Ch, IR.recognizer())) {
        const Stmt *Loop =
            O.Kind == OpKind::RangeRecv ? O.Site : enclosingLoop(O.Site, RC.Ctx);
        std::string Name = channelName(O.Object, RC.Ctx);
        Finding Fd;
        Fd.Loc = Loop->getBeginLoc();
        Fd.Range = Loop->getSourceRange();
        Fd.Message = "task never exits: this loop ends only when '" + Name +
                     "' is closed, and no party closes it";
        if (const ChannelCreation *C = RC.Model.creationOf(Ch); C && C->Site)
          Fd.Notes.push_back({C->Site->getBeginLoc(),
                              "'" + Made->getName().str() +
                                  "' is made here and never closed",
                              true});
        noteTask(Task, Fd);
        Out.push_back(std::move(Fd));
      }
      return;
    }
    // A loop that waits on channels and cannot reach the function's end.
    bool Waits = O.Kind == OpKind::Recv || O.Kind == OpKind::Select ||
                 O.Kind == OpKind::RangeRecv;
    if (!Waits || !O.InLoop || mayReachEnd(IR, L.Block))
      return;
    const Stmt *Loop = enclosingLoop(O.Site, RC.Ctx);
    if (!Loop)
      return;
    Finding Fd;
    Fd.Loc = Loop->getBeginLoc();
    Fd.Range = Loop->getSourceRange();
    Fd.Message = "task never exits: this loop has no way out";
    Fd.Notes.push_back({O.Site->getBeginLoc(),
                        "add a receive case on a context or stop channel "
                        "that leaves the loop",
                        false});
    noteTask(Task, Fd);
    Out.push_back(std::move(Fd));
  });
}

void NeverExits::run(std::vector<Finding> &Out) {
  for (const Party &Task : RC.Model.parties())
    if (Task.isTask())
      for (FrameId F : Task.Frames)
        checkFrame(Task, F, Out);
}

void checkTaskNeverExits(RuleContext &RC, std::vector<Finding> &Out) {
  NeverExits(RC).run(Out);
}

RuleRegistry::Add Register("chan-task-never-exits", checkTaskNeverExits);

} // namespace

} // namespace chanlint
