#include "ProgramModel.h"
#include "PhaseTimes.h"
#include "PathResolver.h"
#include "StoredCallables.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/DenseSet.h"
#include "clang/Basic/SourceManager.h"

#include <deque>

using namespace clang;

namespace chanlint {

namespace {

bool isLambdaOperator(const FunctionDecl *F) {
  const auto *M = dyn_cast<CXXMethodDecl>(F);
  return M && M->getParent()->isLambda();
}

bool sameFunction(const Decl *A, const Decl *B) {
  return A && B && (A == B || A->getCanonicalDecl() == B->getCanonicalDecl());
}

/// A signal channel: one whose receipt means "stop" or "time is up"
/// rather than data. A receive case on one guards a select.
bool isSignalPath(const AccessPath &P) {
  return P.Valid && !P.Steps.empty() &&
         (P.Steps.back().K == PathStep::Kind::ContextDone ||
          P.Steps.back().K == PathStep::Kind::TimerChannel);
}

} // namespace

// ---------------------------------------------------------------------------

const FunctionIR *IRCache::get(const FunctionDecl *F) {
  if (!F)
    return nullptr;
  auto It = IRs.find(F);
  if (It != IRs.end())
    return It->second.get();
  PhaseScope Timed(Phase::IR);
  auto IR = FunctionIR::build(F, Recognizer);
  const FunctionIR *Result = IR.get();
  IRs[F] = std::move(IR);
  return Result;
}

bool IRCache::relevant(const FunctionDecl *F) {
  // A body that touches no channel has no op but calls of such bodies and
  // no fact: irrelevant, known without building its IR.
  if (!Touch.touches(F))
    return false;
  auto It = Relevance.find(F);
  if (It != Relevance.end())
    return It->second == 2;
  Relevance[F] = 0; // recursion: assume irrelevant while in progress
  bool Result = false;
  if (Recognizer.api().isTracked(F->getReturnType()))
    Result = true;
  if (const FunctionIR *IR = get(F); IR && !Result) {
    IR->forEachOp([&](const Op &O, OpLocation) {
      if (Result)
        return;
      Result = O.Kind != OpKind::Call ||
               (O.Target.valid() && relevant(O.Target.Body));
    });
    // Moving handles around (storing a channel into another object's
    // container, a member, a return value) matters to identity too.
    Result = Result || !IR->facts().empty();
  }
  Relevance[F] = Result ? 2 : 1;
  return Result;
}

// ---------------------------------------------------------------------------

std::string Root::describe() const {
  if (Class)
    return Class->getQualifiedNameAsString();
  return Entries.empty() ? std::string("<none>")
                         : Entries.front()->getQualifiedNameAsString();
}

/// Builds a ProgramModel in passes: frames and parties first, then `this`,
/// bindings and facts, then events; finally everything is canonicalised.
class ModelBuilder {
public:
  ModelBuilder(ProgramModel &M, IRCache &IRs, const ModelLimits &L)
      : M(M), IRs(IRs), L(L), Api(IRs.recognizer().api()),
        Resolver(M, IRs.recognizer()) {}

  bool build(const Root &R);
  /// The limits that cut this model short, once per site and limit.
  std::vector<LimitHit> Hits;

private:
  /// How a frame came to run (its callable is the frame's Call).
  struct FrameOrigin {
    const Op *Invoker = nullptr; ///< op that runs the frame
    FrameId Invoking = NoFrame;  ///< frame evaluating the arguments
    /// A lambda taken out of a member container: `this` is the starter's
    /// when the frame that made it is not on the way (another method).
    FrameId ThisFrom = NoFrame;
  };
  /// A task a spawn starts: its callable, and whether that one spawn
  /// starts it many times.
  struct TaskStart {
    Callable Target;
    bool Repeated = false;
    bool FromMember = false; ///< stored into a member container
  };
  enum Flags : uint8_t { None = 0, Conditional = 1, Deferred = 2, ViaOnce = 4 };

  FrameId addFrame(const Callable &C, PartyId P, FrameId Parent, OpLocation At,
                   FrameId Invoking, const Op *Invoker, unsigned Fl);
  void explore(FrameId F);
  void follow(FrameId F, OpLocation Loc, const Op &O, const Callable &C,
              unsigned Fl, int Case);
  void spawnTask(FrameId F, OpLocation Loc, const Op &Spawn);
  void startTask(FrameId F, OpLocation Loc, const Op &O, const TaskStart &Start);
  std::vector<TaskStart> tasksOf(FrameId F, const Op &Spawn);
  Callable boundCallable(FrameId F, const Callable &C) const;
  const Expr *boundArgument(FrameId F, const ParmVarDecl *P) const;
  std::vector<StoredCallable> storedIn(FrameId F, const Expr *Container,
                                       unsigned Depth = 0) const;
  bool onStack(FrameId F, const FunctionDecl *Fn) const;
  /// True (and recorded) when a frame's child would go past MaxDepth.
  bool tooDeep(FrameId F, const Op &O, const FunctionDecl *Callee);
  void hit(LimitHit::Limit Which, const Stmt *Site, const FunctionDecl *Callee);
  FrameId lexicalFrame(const FunctionDecl *LambdaOp, FrameId From) const;

  void computeThis(FrameId F);
  void bind(FrameId F);
  void applyFacts(FrameId F);
  void recordEvents(FrameId F);
  void bindTaskHandles();

  ProgramModel &M;
  IRCache &IRs;
  const ModelLimits &L;
  const ApiIndex &Api;
  PathResolver Resolver;
  std::vector<FrameOrigin> Origins;
  /// Spawns whose target was bound at a call site; frames point at them.
  std::deque<Op> BoundSpawns;
  bool Exceeded = false;
  llvm::DenseSet<std::pair<const Stmt *, unsigned>> HitSites;
};

void ModelBuilder::hit(LimitHit::Limit Which, const Stmt *Site,
                       const FunctionDecl *Callee) {
  if (HitSites.insert({Site, static_cast<unsigned>(Which)}).second)
    Hits.push_back({Which, Site, Callee});
}

bool ModelBuilder::tooDeep(FrameId F, const Op &O, const FunctionDecl *Callee) {
  if (M.Frames[F].Depth + 1 <= L.MaxDepth)
    return false;
  hit(LimitHit::Limit::Depth, O.Site, Callee);
  return true;
}

FrameId ModelBuilder::lexicalFrame(const FunctionDecl *LambdaOp,
                                   FrameId From) const {
  const DeclContext *DC =
      cast<CXXMethodDecl>(LambdaOp)->getParent()->getDeclContext();
  const auto *Enclosing = dyn_cast<FunctionDecl>(DC);
  if (!Enclosing)
    return NoFrame;
  llvm::SmallVector<FrameId, 8> Work{From};
  llvm::DenseSet<FrameId> Seen;
  while (!Work.empty() && Seen.size() < 128) {
    FrameId F = Work.pop_back_val();
    if (F == NoFrame || !Seen.insert(F).second)
      continue;
    const Frame &Fr = M.Frames[F];
    if (sameFunction(Fr.IR->function(), Enclosing))
      return F;
    Work.push_back(Fr.LexicalParent);
    Work.push_back(Fr.Parent);
    const Party &P = M.Parties[Fr.Party];
    if (P.isTask() && P.Top == F)
      Work.push_back(P.SpawnFrame);
  }
  return NoFrame;
}

bool ModelBuilder::onStack(FrameId F, const FunctionDecl *Fn) const {
  for (unsigned Steps = 0; F != NoFrame && Steps < 256; ++Steps) {
    const Frame &Fr = M.Frames[F];
    if (sameFunction(Fr.IR->function(), Fn))
      return true;
    if (Fr.Parent != NoFrame) {
      F = Fr.Parent;
      continue;
    }
    const Party &P = M.Parties[Fr.Party];
    F = P.isTask() ? P.SpawnFrame : NoFrame;
  }
  return false;
}

FrameId ModelBuilder::addFrame(const Callable &C, PartyId P, FrameId Parent,
                               OpLocation At, FrameId Invoking,
                               const Op *Invoker, unsigned Fl) {
  if (M.Frames.size() >= L.MaxFrames) {
    Exceeded = true;
    hit(LimitHit::Limit::Frames, Invoker ? Invoker->Site : nullptr, C.Body);
    return NoFrame;
  }
  const FunctionIR *IR = IRs.get(C.Body);
  if (!IR)
    return NoFrame;
  Frame Fr;
  Fr.Id = static_cast<FrameId>(M.Frames.size());
  Fr.IR = IR;
  Fr.Party = P;
  Fr.Parent = Parent;
  Fr.InvokedAt = At;
  Fr.Call = C;
  Fr.Depth = Invoking == NoFrame ? 0 : M.Frames[Invoking].Depth + 1;
  if (isLambdaOperator(C.Body) && Invoking != NoFrame)
    Fr.LexicalParent = lexicalFrame(C.Body, Invoking);
  if (Parent != NoFrame) {
    const Frame &Pa = M.Frames[Parent];
    Fr.InLoop = Pa.InLoop || (Invoker && Invoker->InLoop);
    Fr.Conditional = Pa.Conditional;
    Fr.Deferred = Pa.Deferred;
    Fr.ViaOnce = Pa.ViaOnce;
  }
  Fr.Conditional |= (Fl & Conditional) != 0;
  Fr.Deferred |= (Fl & Deferred) != 0;
  Fr.ViaOnce |= (Fl & ViaOnce) != 0;
  M.Frames.push_back(Fr);
  M.Parties[P].Frames.push_back(Fr.Id);
  Origins.push_back({Invoker, Invoking});
  return Fr.Id;
}

void ModelBuilder::follow(FrameId F, OpLocation Loc, const Op &O,
                          const Callable &C, unsigned Fl, int Case) {
  if (!C.valid() || Exceeded || !IRs.relevant(C.Body))
    return;
  if (onStack(F, C.Body) || tooDeep(F, O, C.Body))
    return;
  FrameId Child = addFrame(C, M.Frames[F].Party, F, Loc, F, &O, Fl);
  if (Child == NoFrame)
    return;
  uint64_t K = ProgramModel::key(F, Loc);
  M.Children[K].push_back(Child);
  M.ChildCase[K].push_back(Case);
  if ((O.Kind == OpKind::Call || O.Kind == OpKind::Spawn) && !O.ScopeVar)
    M.CallFrames[{F, O.Site}] = Child;
  explore(Child);
}

/// The argument the call site of frame F passed for parameter P, or null.
const Expr *ModelBuilder::boundArgument(FrameId F, const ParmVarDecl *P) const {
  return Origins[F].Invoking == NoFrame ? nullptr : M.boundArgument(F, P);
}

/// A callable held by a parameter of frame F: what the call site passed.
Callable ModelBuilder::boundCallable(FrameId F, const Callable &C) const {
  if (C.valid() || !C.Param)
    return C;
  const Expr *Arg = boundArgument(F, C.Param);
  if (!Arg)
    return C;
  Callable Bound = IRs.recognizer().resolveCallable(Arg, C.Args);
  if (!Bound.valid() && Bound.Param) // passed on from a parameter again
    return boundCallable(Origins[F].Invoking, Bound);
  return Bound;
}

/// The callables stored into a container that frame F names: its local or
/// member's, or, for a parameter, what its caller's container holds.
std::vector<StoredCallable> ModelBuilder::storedIn(FrameId F, const Expr *Container,
                                                   unsigned Depth) const {
  StoredCallables Stored(IRs.recognizer());
  const ValueDecl *D = Stored.containerNamed(Container);
  const auto *P = dyn_cast_or_null<ParmVarDecl>(D);
  if (!P)
    return D ? Stored.storedInto(D) : std::vector<StoredCallable>();
  const Expr *Arg = boundArgument(F, P);
  if (!Arg || Depth > L.MaxDepth)
    return {};
  return storedIn(Origins[F].Invoking, Arg, Depth + 1);
}

/// What a spawn starts: its target (a parameter's bound at the call site),
/// or every callable stored into the container whose element it starts.
std::vector<ModelBuilder::TaskStart> ModelBuilder::tasksOf(FrameId F,
                                                           const Op &Spawn) {
  if (Spawn.StoredTargets.empty() && !Spawn.ContainerParam) {
    if (!Spawn.Target.valid() && Spawn.Target.Param)
      return {{boundCallable(F, Spawn.Target), Spawn.InLoop, false}};
    return {{Spawn.Target, Spawn.InLoop, false}};
  }
  std::vector<StoredCallable> Stored = Spawn.StoredTargets;
  if (Spawn.ContainerParam)
    if (const Expr *Arg = boundArgument(F, Spawn.ContainerParam))
      Stored = storedIn(Origins[F].Invoking, Arg);
  std::vector<TaskStart> Out;
  for (StoredCallable &S : Stored) {
    S.Target.Args = Spawn.Target.Args;
    S.Target.FirstParamIsGroupContext = Spawn.Target.FirstParamIsGroupContext;
    // Each stored callable starts once per iteration over the container;
    // many times when it was stored in a loop or another loop repeats the
    // iteration.
    Out.push_back({S.Target, S.Repeated || !Spawn.OncePerElement, S.InMember});
  }
  return Out;
}

void ModelBuilder::spawnTask(FrameId F, OpLocation Loc, const Op &Spawn) {
  for (const TaskStart &Start : tasksOf(F, Spawn))
    startTask(F, Loc, Spawn, Start);
}

void ModelBuilder::startTask(FrameId F, OpLocation Loc, const Op &Spawn,
                             const TaskStart &Start) {
  // A bound target: frames point at a copy of the spawn that runs it.
  const Op *Bound = &Spawn;
  if (Start.Target.Body != Spawn.Target.Body) {
    BoundSpawns.push_back(Spawn);
    BoundSpawns.back().Target = Start.Target;
    Bound = &BoundSpawns.back();
  }
  const Op &O = *Bound;
  if (!O.Target.valid() || Exceeded || !IRs.relevant(O.Target.Body))
    return;
  if (onStack(F, O.Target.Body) || tooDeep(F, O, O.Target.Body))
    return;
  if (M.NumTasks >= L.MaxTasks) {
    Exceeded = true;
    hit(LimitHit::Limit::Tasks, O.Site, O.Target.Body);
    return;
  }
  Party T;
  T.K = Party::Kind::Task;
  T.Id = static_cast<PartyId>(M.Parties.size());
  T.TaskIndex = M.NumTasks++;
  T.Spawner = M.Frames[F].Party;
  T.SpawnFrame = F;
  T.SpawnOp = Loc;
  T.SpawnSite = O.Site;
  T.Body = O.Target.Body;
  T.Many = Start.Repeated || M.Frames[F].InLoop || M.Parties[T.Spawner].Many;
  M.Parties.push_back(T);
  M.TaskParties.push_back(T.Id);
  M.Spawns[ProgramModel::key(F, Loc)].push_back(T.Id);
  FrameId Top = addFrame(O.Target, T.Id, NoFrame, Loc, F, &O, None);
  M.Parties[T.Id].Top = Top;
  if (Top == NoFrame)
    return;
  if (Start.FromMember && M.Frames[Top].LexicalParent == NoFrame)
    Origins[Top].ThisFrom = F;
  explore(Top);
}

void ModelBuilder::explore(FrameId F) {
  const FunctionIR &IR = *M.Frames[F].IR;
  IR.forEachOp([&](const Op &O, OpLocation Loc) {
    if (Exceeded)
      return;
    switch (O.Kind) {
    case OpKind::Call:
      follow(F, Loc, O, O.Target, None, -1);
      break;
    case OpKind::OnceCall:
      follow(F, Loc, O, O.Target, Conditional | ViaOnce, -1);
      break;
    case OpKind::DeferRun:
      follow(F, Loc, O, O.Target, Deferred, -1);
      break;
    case OpKind::Select:
      for (unsigned I = 0; I < O.Cases.size(); ++I)
        follow(F, Loc, O, O.Cases[I].Callback, Conditional, static_cast<int>(I));
      break;
    case OpKind::Spawn:
      if (O.Synchronous)
        follow(F, Loc, O, O.Target, None, -1);
      else
        spawnTask(F, Loc, O);
      break;
    default:
      break;
    }
  });
}

void ModelBuilder::computeThis(FrameId F) {
  Frame &Fr = M.Frames[F];
  const FrameOrigin &Or = Origins[F];
  const FunctionDecl *Fn = Fr.IR->function();
  if (isLambdaOperator(Fn)) {
    if (Fr.LexicalParent != NoFrame)
      Fr.This = M.Frames[Fr.LexicalParent].This;
    else if (Or.ThisFrom != NoFrame)
      Fr.This = M.Frames[Or.ThisFrom].This;
    return;
  }
  const auto *MD = dyn_cast<CXXMethodDecl>(Fn);
  if (!MD || !MD->isInstance())
    return;
  if (Or.Invoking == NoFrame) // a root entry: its own object
    return;
  if (Fr.Call.Object) {
    Fr.This = Resolver.resolve(Fr.Call.Object, Or.Invoking);
  } else if (Or.Invoker && Or.Invoker->ScopeVar) {
    // A destructor run at the end of the variable's scope.
    Fr.This = Resolver.varPath(Or.Invoker->ScopeVar, Or.Invoking);
  } else if (Or.Invoker && Or.Invoker->ConstructedVar) {
    Fr.This = Resolver.varPath(Or.Invoker->ConstructedVar, Or.Invoking);
  } else if (Or.Invoker && Or.Invoker->ConstructedField) {
    Fr.This = M.Frames[Or.Invoking].This.with(
        PathStep::field(Or.Invoker->ConstructedField));
  } else if (Or.Invoker) {
    if (const auto *E = dyn_cast<Expr>(Or.Invoker->Site))
      Fr.This = AccessPath::of(PathRoot::temp(E, Or.Invoking));
  }
}

void ModelBuilder::bind(FrameId F) {
  const FrameOrigin &Or = Origins[F];
  const Callable &Call = M.Frames[F].Call;
  const FunctionDecl *Fn = M.Frames[F].IR->function();
  if (Or.Invoking == NoFrame)
    return;
  unsigned Offset = 0;
  if (Call.FirstParamIsGroupContext) {
    Offset = 1;
    if (Fn->getNumParams() > 0 && Or.Invoker && Or.Invoker->Handle.Expr)
      M.Aliases.unite(Resolver.varPath(Fn->getParamDecl(0), F),
                      Resolver.resolve(Or.Invoker->Handle.Expr, Or.Invoking)
                          .with(PathStep::groupContext()));
  }
  for (unsigned I = 0; I < Call.Args.size(); ++I) {
    unsigned PI = I + Offset;
    if (PI >= Fn->getNumParams())
      break;
    const ParmVarDecl *P = Fn->getParamDecl(PI);
    if (!Api.isTracked(P->getType()))
      continue;
    M.Aliases.unite(Resolver.varPath(P, F),
                    Resolver.resolve(Call.Args[I], Or.Invoking));
  }
  // Init captures are evaluated where the lambda is created.
  FrameId Lexical = M.Frames[F].LexicalParent;
  if (isLambdaOperator(Fn) && Lexical != NoFrame) {
    for (const LambdaCapture &Cap :
         cast<CXXMethodDecl>(Fn)->getParent()->captures()) {
      if (!Cap.capturesVariable())
        continue;
      const auto *V = dyn_cast<VarDecl>(Cap.getCapturedVar());
      if (V && V->isInitCapture() && V->getInit() && Api.isTracked(V->getType()))
        M.Aliases.unite(Resolver.varPath(V, F),
                        Resolver.resolve(V->getInit(), Lexical));
    }
  }
}

void ModelBuilder::applyFacts(FrameId F) {
  for (const AliasFact &Fact : M.Frames[F].IR->facts()) {
    AccessPath Lhs;
    switch (Fact.Kind) {
    case AliasFact::Lhs::Var:
      Lhs = Resolver.varPath(Fact.Var, F);
      break;
    case AliasFact::Lhs::Expr:
      Lhs = Resolver.resolve(Fact.LhsExpr, F);
      break;
    case AliasFact::Lhs::ThisField:
      Lhs = M.Frames[F].This.with(PathStep::field(Fact.Field));
      break;
    case AliasFact::Lhs::Return:
      Lhs = AccessPath::of(PathRoot::returned(F));
      break;
    }
    for (const PathStep &S : Fact.Steps)
      Lhs = Lhs.with(S);
    AccessPath Rhs = Resolver.resolve(Fact.Rhs, F);
    if (Fact.RhsElement)
      Rhs = Rhs.with(PathStep::element());
    M.Aliases.unite(Lhs, Rhs);
  }
}

void ModelBuilder::recordEvents(FrameId F) {
  const Frame Fr = M.Frames[F];
  const Party &P = M.Parties[Fr.Party];
  auto Base = [&](const Op &O, OpLocation Loc) {
    Event E;
    E.Party = Fr.Party;
    E.Frame = F;
    E.Loc = Loc;
    E.Site = O.Site;
    E.InLoop = O.InLoop || Fr.InLoop;
    E.Conditional = Fr.Conditional;
    E.Deferred = Fr.Deferred;
    E.ViaOnce = Fr.ViaOnce;
    return E;
  };
  // A try block around the call that led here covers this frame too.
  bool CalledInTry = false;
  for (FrameId Cur = F; !CalledInTry && M.Frames[Cur].Parent != NoFrame;) {
    const Frame &C = M.Frames[Cur];
    const Op &Invoker = M.Frames[C.Parent].IR->op(C.InvokedAt);
    CalledInTry = Invoker.Site && IRs.recognizer().catchesClosedChannel(Invoker.Site);
    Cur = C.Parent;
  }
  auto Catches = [&](const Stmt *Site) {
    return CalledInTry || (Site && IRs.recognizer().catchesClosedChannel(Site));
  };
  Fr.IR->forEachOp([&](const Op &O, OpLocation Loc) {
    Event E = Base(O, Loc);
    E.CatchesClose = Catches(O.Site);
    switch (O.Kind) {
    case OpKind::Send:
      E.K = Event::Kind::Send;
      break;
    case OpKind::TrySend:
      E.K = Event::Kind::TrySend;
      break;
    case OpKind::Recv:
      E.K = Event::Kind::Recv;
      break;
    case OpKind::TryRecv:
      E.K = Event::Kind::TryRecv;
      break;
    case OpKind::RangeRecv:
      E.K = Event::Kind::RangeRecv;
      break;
    case OpKind::Close:
      E.K = Event::Kind::Close;
      if (Fr.Deferred && Fr.Parent == P.Top)
        M.RawDeferClose.emplace_back(Fr.Party, Resolver.resolve(O.Object, F));
      break;
    case OpKind::WgDone:
      M.RawWgDone.emplace_back(Fr.Party, Resolver.resolve(O.Object, F));
      return;
    case OpKind::Select: {
      llvm::SmallVector<AccessPath, 4> Paths;
      for (const SelectCase &C : O.Cases)
        Paths.push_back(C.K == SelectCase::Kind::Default
                            ? AccessPath::invalid()
                            : Resolver.resolve(C.Channel, F));
      for (unsigned I = 0; I < O.Cases.size(); ++I) {
        const SelectCase &C = O.Cases[I];
        if (C.K == SelectCase::Kind::Default)
          continue;
        Event CE = Base(O, Loc);
        CE.K = C.K == SelectCase::Kind::Send ? Event::Kind::Send
                                             : Event::Kind::Recv;
        CE.Case = static_cast<int>(I);
        CE.InSelect = true;
        CE.Site = C.Site;
        CE.ChannelExpr = C.Channel;
        CE.Path = Paths[I];
        CE.Guarded = CE.SelectHasDefault = O.HasDefault;
        CE.CatchesClose = Catches(O.Site);
        for (unsigned J = 0; J < O.Cases.size(); ++J)
          if (J != I && O.Cases[J].K == SelectCase::Kind::Recv &&
              (isSignalPath(Paths[J]) ||
               Api.isSignalChannel(O.Cases[J].Channel))) {
            CE.Guarded = true;
            CE.SignalPaths.push_back(Paths[J]);
          }
        M.Events.push_back(CE);
      }
      return;
    }
    default:
      return;
    }
    E.ChannelExpr = O.Object;
    E.Path = Resolver.resolve(O.Object, F);
    M.Events.push_back(E);
  });
}

void ModelBuilder::bindTaskHandles() {
  for (Party &T : M.Parties) {
    if (!T.isTask())
      continue;
    const Op &O = M.Frames[T.SpawnFrame].IR->op(T.SpawnOp);
    FrameId SF = T.SpawnFrame;
    if (O.Spawner && O.Spawner->Kind == SpawnerModel::Form::Method) {
      AccessPath Object = Resolver.resolve(O.Handle.Expr, SF);
      if (O.Spawner->CountsOnObject)
        M.RawWgDone.emplace_back(T.Id, Object); // wg.go(f): done when f returns
      else
        T.GroupPath = Object;
      continue;
    }
    AccessPath H;
    if (O.Handle.Var)
      H = Resolver.varPath(O.Handle.Var, SF);
    else if (O.Handle.Expr)
      H = Resolver.resolve(O.Handle.Expr, SF);
    else if (O.Handle.ThisField)
      H = M.Frames[SF].This.with(PathStep::field(O.Handle.ThisField));
    if (O.Handle.Element)
      H = H.with(PathStep::element());
    T.HandlePath = H;
  }
}

bool ModelBuilder::build(const Root &R) {
  for (const FunctionDecl *Entry : R.Entries) {
    Party P;
    P.Id = static_cast<PartyId>(M.Parties.size());
    P.K = Party::Kind::Entry;
    P.Body = Entry;
    M.Parties.push_back(P);
    Callable C;
    C.Body = Entry;
    FrameId Top = addFrame(C, P.Id, NoFrame, {}, NoFrame, nullptr, None);
    M.Parties[P.Id].Top = Top;
    if (Top == NoFrame)
      continue;
    if (R.Class && isa<CXXMethodDecl>(Entry) &&
        cast<CXXMethodDecl>(Entry)->isInstance())
      M.Frames[Top].This = AccessPath::of(PathRoot::thisObject(R.Class));
    else if (const auto *MD = dyn_cast<CXXMethodDecl>(Entry);
             MD && MD->isInstance())
      M.Frames[Top].This = AccessPath::of(PathRoot::thisObject(MD->getParent()));
    explore(Top);
    if (Exceeded)
      return false;
  }
  if (Exceeded)
    return false;
  for (FrameId F = 0; F < M.Frames.size(); ++F)
    computeThis(F);
  for (FrameId F = 0; F < M.Frames.size(); ++F) {
    bind(F);
    applyFacts(F);
  }
  bindTaskHandles();
  for (FrameId F = 0; F < M.Frames.size(); ++F)
    recordEvents(F);
  return true;
}

// ---------------------------------------------------------------------------

std::unique_ptr<ProgramModel> ProgramModel::build(const Root &R, IRCache &IRs,
                                                  const ModelLimits &Limits,
                                                  std::vector<LimitHit> *Hits) {
  auto M = std::unique_ptr<ProgramModel>(new ProgramModel());
  M->ResolverRecognizer = &IRs.recognizer();
  ModelBuilder B(*M, IRs, Limits);
  bool Built = B.build(R);
  if (Hits)
    llvm::append_range(*Hits, B.Hits);
  if (!Built)
    return nullptr;
  M->finish();
  return M;
}

void ProgramModel::finish() {
  for (Event &E : Events) {
    E.Channel = Aliases.object(E.Path);
    for (const AccessPath &P : E.SignalPaths)
      E.Signals.push_back(Aliases.object(P));
  }
  for (Party &P : Parties) {
    if (!P.isTask())
      continue;
    if (P.HandlePath.Valid)
      P.Handle = Aliases.object(P.HandlePath);
    if (P.GroupPath.Valid)
      P.Group = Aliases.object(P.GroupPath);
  }
  for (auto &[Root, C] : RawCreations)
    Creations.try_emplace(Aliases.object(AccessPath::of(Root)), C);
  for (auto &[P, Path] : RawWgDone)
    WgDone[P].push_back(Aliases.object(Path));
  for (auto &[P, Path] : RawDeferClose)
    DeferClose[P].push_back(Aliases.object(Path));

  // (A body started at several sites is several parties, one per site, each
  // with its own bindings; only a start inside a loop makes a party many.)

  // Tasks spawned transitively by each task (children are created after
  // their spawner, so walk backwards).
  SpawnClosure.assign(NumTasks, llvm::BitVector(NumTasks));
  for (unsigned T = NumTasks; T-- > 0;) {
    const Party &P = Parties[TaskParties[T]];
    SpawnClosure[T].set(T);
    if (P.Spawner != NoParty && Parties[P.Spawner].isTask())
      SpawnClosure[Parties[P.Spawner].TaskIndex] |= SpawnClosure[T];
  }
}

llvm::ArrayRef<FrameId> ProgramModel::children(FrameId F, OpLocation L) const {
  auto It = Children.find(key(F, L));
  if (It == Children.end())
    return {};
  return It->second;
}

FrameId ProgramModel::caseFrame(FrameId F, OpLocation L, unsigned Case) const {
  auto It = Children.find(key(F, L));
  if (It == Children.end())
    return NoFrame;
  const auto &Cases = ChildCase.find(key(F, L))->second;
  for (unsigned I = 0; I < Cases.size(); ++I)
    if (Cases[I] == static_cast<int>(Case))
      return It->second[I];
  return NoFrame;
}

llvm::ArrayRef<PartyId> ProgramModel::spawned(FrameId F, OpLocation L) const {
  auto It = Spawns.find(key(F, L));
  if (It == Spawns.end())
    return {};
  return It->second;
}

const Expr *ProgramModel::boundArgument(FrameId F, const ParmVarDecl *P) const {
  const Callable &Call = Frames[F].Call;
  unsigned Index = P->getFunctionScopeIndex();
  if (Call.FirstParamIsGroupContext) {
    if (Index == 0)
      return nullptr;
    --Index;
  }
  return Index < Call.Args.size() ? Call.Args[Index] : nullptr;
}

const ChannelCreation *ProgramModel::creationOf(ObjectId Channel) {
  auto It = Creations.find(Aliases.find(Channel));
  return It == Creations.end() ? nullptr : &It->second;
}

bool ProgramModel::isElement(ObjectId Object) {
  return Aliases.isElement(Object);
}

bool ProgramModel::ownedBy(ObjectId Channel, PartyId P) {
  const ChannelCreation *C = creationOf(Channel);
  return C && C->Party == P;
}

PartyId ProgramModel::ownerOf(ObjectId Channel) {
  const ChannelCreation *C = creationOf(Channel);
  return C ? C->Party : NoParty;
}

bool ProgramModel::reportsTo(PartyId Task, ObjectId WaitGroup) const {
  auto It = WgDone.find(Task);
  if (It == WgDone.end())
    return false;
  for (ObjectId W : It->second)
    if (const_cast<AliasSets &>(Aliases).find(W) ==
        const_cast<AliasSets &>(Aliases).find(WaitGroup))
      return true;
  return false;
}

bool ProgramModel::signalsCompletionOn(PartyId Task, ObjectId Channel) const {
  auto It = DeferClose.find(Task);
  if (It == DeferClose.end())
    return false;
  for (ObjectId C : It->second)
    if (const_cast<AliasSets &>(Aliases).find(C) ==
        const_cast<AliasSets &>(Aliases).find(Channel))
      return true;
  return false;
}

std::string ProgramModel::describeParty(PartyId Id) const {
  const Party &P = Parties[Id];
  std::string Name = P.Body ? P.Body->getNameAsString() : std::string();
  if (P.Body && isLambdaOperator(P.Body))
    Name = "lambda";
  if (!P.isTask())
    return "'" + (P.Body ? P.Body->getQualifiedNameAsString() : Name) + "'";
  return std::string(P.Many ? "tasks" : "the task") + " running " +
         (Name == "lambda" ? std::string("the lambda") : "'" + Name + "'");
}

} // namespace chanlint

namespace chanlint {

void ProgramModel::dump(llvm::raw_ostream &OS, const SourceManager &SM) const {
  auto Loc = [&](const Stmt *S) {
    return S ? SM.getExpansionLoc(S->getBeginLoc()).printToString(SM)
             : std::string("?");
  };
  for (const Party &P : Parties) {
    OS << "party " << P.Id << (P.isTask() ? " task#" : " entry")
       << (P.isTask() ? std::to_string(P.TaskIndex) : "") << " "
       << describeParty(P.Id) << (P.Many ? " many" : "");
    if (P.isTask())
      OS << " spawned-by " << P.Spawner << " at " << Loc(P.SpawnSite)
         << " handle " << (P.HandlePath.Valid ? (int)const_cast<AliasSets &>(Aliases).find(P.Handle) : -1)
         << " group " << (P.GroupPath.Valid ? (int)const_cast<AliasSets &>(Aliases).find(P.Group) : -1);
    OS << " frames:";
    for (FrameId F : P.Frames)
      OS << " " << F;
    OS << "\n";
  }
  for (const Frame &F : Frames)
    OS << "frame " << F.Id << " " << F.IR->function()->getNameAsString()
       << " party " << F.Party << " parent " << (int)F.Parent << " lexical "
       << (int)F.LexicalParent << (F.InLoop ? " loop" : "")
       << (F.Deferred ? " deferred" : "") << (F.Conditional ? " cond" : "")
       << "\n";
  static const char *Kinds[] = {"send", "try_send", "recv", "try_recv", "range", "close"};
  for (const Event &E : Events)
    OS << "event " << Kinds[static_cast<int>(E.K)] << " party " << E.Party
       << " frame " << E.Frame << " chan " << const_cast<AliasSets &>(Aliases).find(E.Channel)
       << (E.Guarded ? " guarded" : "") << (E.InLoop ? " loop" : "") << " at "
       << Loc(E.Site) << "\n";
}

} // namespace chanlint
