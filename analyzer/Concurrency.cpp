#include "Concurrency.h"

#include "engine/Dataflow.h"

#include "clang/AST/DeclCXX.h"

using namespace clang;

namespace chanlint {

namespace {

bool subset(const llvm::BitVector &A, const llvm::BitVector &B) {
  llvm::BitVector Diff = A;
  Diff.reset(B);
  return Diff.none();
}

} // namespace

Concurrency::Concurrency(ProgramModel &M) : M(M), N(M.numTasks()), Empty(N) {
  const auto &Frames = M.frames();
  Views.resize(Frames.size());
  FrameEntry.assign(Frames.size(), llvm::BitVector(N));
  FrameExit.assign(Frames.size(), llvm::BitVector(N));
  FrameDone.assign(Frames.size(), false);
  for (const Frame &F : Frames) {
    auto &V = Views[F.Id];
    V.resize(F.IR->cfg().getNumBlockIDs());
    for (unsigned B = 0; B < V.size(); ++B)
      V[B].assign(F.IR->opsIn(B).size(), llvm::BitVector(N));
  }

  for (const Party &P : M.parties())
    if (!P.isTask() && P.Top != NoFrame)
      runFrame(P.Top, entryView(P));

  // Tasks: what overlaps a task depends on its spawner's view and on every
  // other spawner's view, so iterate until nothing grows.
  std::vector<llvm::BitVector> Initial(N, llvm::BitVector(N));
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (unsigned T = 0; T < N; ++T) {
      const Party &P = M.party(M.taskParty(T));
      if (P.Top == NoFrame)
        continue;
      llvm::BitVector Init = initialView(P);
      if (FrameDone[P.Top] && subset(Init, Initial[T]))
        continue;
      Initial[T] |= Init;
      runFrame(P.Top, Initial[T]);
      Changed = true;
    }
  }
}

PartyId Concurrency::entryOf(PartyId P) const {
  while (M.party(P).isTask())
    P = M.party(P).Spawner;
  return P;
}

llvm::BitVector Concurrency::entryView(const Party &Entry) const {
  llvm::BitVector V(N);
  // A constructor runs before anything else the object does; any other
  // entry may run while tasks started by the other entries are running.
  if (isa_and_nonnull<CXXConstructorDecl>(Entry.Body))
    return V;
  for (unsigned T = 0; T < N; ++T)
    if (entryOf(M.taskParty(T)) != Entry.Id)
      V.set(T);
  return V;
}

llvm::BitVector Concurrency::initialView(const Party &Task) const {
  llvm::BitVector V = view(Task.SpawnFrame, Task.SpawnOp);
  // The tasks that started this one are still running when it starts.
  for (PartyId A = Task.Spawner; A != NoParty && M.party(A).isTask();
       A = M.party(A).Spawner)
    V.set(M.party(A).TaskIndex);
  if (Task.Many)
    V.set(Task.TaskIndex);
  // Tasks started while this one may be running.
  for (unsigned Q = 0; Q < N; ++Q) {
    const Party &Other = M.party(M.taskParty(Q));
    if (Other.Id == Task.Id)
      continue;
    if (view(Other.SpawnFrame, Other.SpawnOp).test(Task.TaskIndex))
      V.set(Q);
  }
  // Its own descendants are added by its own spawns.
  llvm::BitVector Own = M.spawnClosure(Task.Id);
  if (!Task.Many)
    V.reset(Own);
  return V;
}

const llvm::BitVector &Concurrency::view(FrameId F, OpLocation L) const {
  if (F == NoFrame || F >= Views.size() || L.Block >= Views[F].size() ||
      L.Index >= Views[F][L.Block].size())
    return Empty;
  return Views[F][L.Block][L.Index];
}

void Concurrency::endTasks(llvm::BitVector &Cur, ObjectId Obj, bool ByHandle,
                           bool ByGroup, bool BySignal) {
  AliasSets &A = M.aliases();
  ObjectId Rep = A.find(Obj);
  for (unsigned T = 0; T < N; ++T) {
    if (!Cur.test(T))
      continue;
    const Party &P = M.party(M.taskParty(T));
    bool Ends = false;
    if (ByHandle && P.Handle != ~0u && A.find(P.Handle) == Rep)
      Ends = true;
    if (ByGroup && P.Group != ~0u && A.find(P.Group) == Rep)
      Ends = true;
    if (BySignal && M.signalsCompletionOn(P.Id, Rep))
      Ends = true;
    if (Ends)
      Cur.reset(T);
  }
}

llvm::BitVector Concurrency::transfer(FrameId F, OpLocation L, const Op &O,
                                      llvm::BitVector Cur) {
  switch (O.Kind) {
  case OpKind::Spawn: {
    for (PartyId T : M.spawned(F, L))
      Cur |= M.spawnClosure(T);
    for (FrameId C : M.children(F, L)) // synchronous std::async
      Cur = runFrame(C, Cur);
    return Cur;
  }
  case OpKind::Call:
  case OpKind::DeferRun:
    for (FrameId C : M.children(F, L))
      Cur = runFrame(C, Cur);
    return Cur;
  case OpKind::OnceCall: {
    llvm::BitVector Out = Cur;
    for (FrameId C : M.children(F, L))
      Out |= runFrame(C, Cur);
    return Out;
  }
  case OpKind::Select: {
    if (M.children(F, L).empty())
      return Cur;
    llvm::BitVector Out(N);
    for (unsigned I = 0; I < O.Cases.size(); ++I) {
      FrameId C = M.caseFrame(F, L, I);
      Out |= C == NoFrame ? Cur : runFrame(C, Cur);
    }
    return Out;
  }
  case OpKind::WgWait: {
    AliasSets &A = M.aliases();
    ObjectId W = A.find(M.objectOf(O.Object, F));
    for (unsigned T = 0; T < N; ++T)
      if (Cur.test(T) && M.reportsTo(M.taskParty(T), W))
        Cur.reset(T);
    return Cur;
  }
  case OpKind::GroupWait:
    endTasks(Cur, M.objectOf(O.Object, F), false, true, false);
    return Cur;
  case OpKind::Join:
  case OpKind::FutureWait: {
    if (O.ScopeVar) {
      AccessPath P = M.varPath(O.ScopeVar, F);
      endTasks(Cur, M.aliases().object(P), true, false, false);
      endTasks(Cur, M.aliases().object(P.with(PathStep::element())), true,
               false, false);
    } else if (O.ObjectElements) {
      endTasks(Cur,
               M.aliases().object(
                   M.pathOf(O.Object, F).with(PathStep::element())),
               true, false, false);
    } else {
      endTasks(Cur, M.objectOf(O.Object, F), true, false, false);
    }
    return Cur;
  }
  case OpKind::Recv:
  case OpKind::RangeRecv:
    endTasks(Cur, M.objectOf(O.Object, F), false, false, true);
    return Cur;
  default:
    return Cur;
  }
}

/// The engine's view of one frame: which tasks may be running, recorded at
/// every op; ops run callees and end tasks through Concurrency::transfer.
class TaskViews {
public:
  using State = llvm::BitVector;

  TaskViews(Concurrency &C, FrameId F) : C(C), F(F) {}

  State bottom() const { return llvm::BitVector(C.N); }
  bool join(State &Into, const State &From) const {
    if (subset(From, Into))
      return false;
    Into |= From;
    return true;
  }
  void transfer(const engine::FlowStep &S, State &Cur) {
    // An op with no place in the IR (a Defer whose scope only a throw
    // leaves) has no frames to run.
    if (!S.O || S.Loc.Block == ~0u)
      return;
    if (!S.Exceptional)
      C.Views[F][S.Loc.Block][S.Loc.Index] |= Cur;
    Cur = C.transfer(F, S.Loc, *S.O, std::move(Cur));
  }
  void transferEdge(const engine::FlowEdge &E, State &Cur) {
    for (const Op &O : C.M.frame(F).IR->edgeOps(E.From, E.SuccIndex))
      Cur = C.transfer(F, OpLocation{E.From, ~0u}, O, std::move(Cur));
  }

private:
  Concurrency &C;
  FrameId F;
};

llvm::BitVector Concurrency::runFrame(FrameId F, const llvm::BitVector &In) {
  if (FrameDone[F] && subset(In, FrameEntry[F]))
    return FrameExit[F];
  FrameEntry[F] |= In;
  FrameDone[F] = true;

  TaskViews Analysis(*this, F);
  const engine::FlowGraph &G = M.frame(F).IR->flow(engine::ExceptionEdges::Throws);
  engine::ForwardDataflow<TaskViews> Solver(G, Analysis);
  if (Solver.solve(FrameEntry[F]) == engine::SolveStatus::BoundHit)
    ++FramesOverBound;
  // The caller goes on after a return, and (in a may-analysis of running
  // tasks, conservatively) after a throw it does not see.
  llvm::BitVector Exit(N);
  if (std::optional<llvm::BitVector> Normal = Solver.normalExit())
    Exit |= *Normal;
  if (std::optional<llvm::BitVector> Unwound = Solver.unwindExit())
    Exit |= *Unwound;
  FrameExit[F] |= Exit;
  return FrameExit[F];
}

bool Concurrency::mayHappenInParallel(PartyId PA, FrameId FA, OpLocation LA,
                                      PartyId PB, FrameId FB,
                                      OpLocation LB) const {
  if (PA == PB)
    return false;
  const Party &A = M.party(PA);
  const Party &B = M.party(PB);
  if (!A.isTask() && !B.isTask())
    return false;
  if (A.isTask() && !view(FB, LB).test(A.TaskIndex))
    return false;
  if (B.isTask() && !view(FA, LA).test(B.TaskIndex))
    return false;
  return true;
}

bool Concurrency::mayHappenInParallel(const Event &A, const Event &B) const {
  return mayHappenInParallel(A.Party, A.Frame, A.Loc, B.Party, B.Frame, B.Loc);
}

} // namespace chanlint
