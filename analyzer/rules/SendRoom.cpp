#include "SendRoom.h"

#include "../EventOrder.h"
#include "../LoopTrips.h"
#include "../ParentIndex.h"

#include "clang/AST/ParentMapContext.h"

using namespace clang;

namespace chanlint {

namespace {

uint64_t plus(uint64_t A, uint64_t B) {
  return A > ManyValues - B ? ManyValues : A + B;
}

/// True if the creation initialises a variable with static storage: made
/// once, however often its function runs.
bool madeOnce(const ChannelCreation &C, ASTContext &Ctx) {
  DynTypedNode N = DynTypedNode::create(*C.Site);
  for (int Depth = 0; Depth < 8; ++Depth) {
    DynTypedNodeList Parents = parentsOf(Ctx, N);
    if (Parents.empty())
      return false;
    if (const auto *V = Parents[0].get<VarDecl>())
      return V->hasGlobalStorage();
    if (!Parents[0].get<Expr>())
      return false;
    N = Parents[0];
  }
  return false;
}

/// Where counting stops: the creation of a channel that each run of its
/// frame makes anew. Null when the channel was made elsewhere or once.
const ChannelCreation *freshCreation(RuleContext &RC, ObjectId Channel) {
  const ChannelCreation *C = RC.Model.creationOf(Channel);
  return C && C->Site && !madeOnce(*C, RC.Ctx) ? C : nullptr;
}

/// Runs of op L of frame F, and of the ops that run its frame, up to the
/// top of the party or to the frame that makes the channel (Fresh then).
uint64_t runsInParty(RuleContext &RC, FrameId F, OpLocation L,
                     const ChannelCreation *C, bool &Fresh) {
  uint64_t N = 1;
  while (F != NoFrame) {
    const Op &O = RC.Model.op(F, L);
    const Stmt *Cut = C && C->Frame == F ? C->Site : nullptr;
    std::optional<uint64_t> R =
        O.Site ? runsPerCall(RC.Api, O.Site, RC.Ctx, O.InLoop, Cut)
               : std::optional<uint64_t>(O.InLoop ? ManyValues : 1);
    N = countTimes(N, R ? *R : ManyValues);
    if (Cut) {
      Fresh = true;
      return N;
    }
    const Frame &Fr = RC.Model.frame(F);
    L = Fr.InvokedAt;
    F = Fr.Parent;
  }
  return N;
}

/// The start of a task, as an event of its spawner, so that the order of
/// events can place it.
Event startOf(const Party &Task) {
  Event Start;
  Start.Party = Task.Spawner;
  Start.Frame = Task.SpawnFrame;
  Start.Loc = Task.SpawnOp;
  return Start;
}

/// True if party P may have started before S runs: it is started by S's
/// party before S (or by a task started so), or its start is not ordered
/// with S at all.
bool mayStartBefore(RuleContext &RC, PartyId P, const Event &S,
                    ObjectId Channel) {
  for (PartyId Q = P;;) {
    const Party &QP = RC.Model.party(Q);
    if (!QP.isTask())
      return true; // another entry: its calls are not ordered with S
    if (QP.Spawner == S.Party)
      return partyRuns(RC, S.Party, Channel) > 1 ||
             mayFollowInParty(RC.Model, startOf(QP), S);
    Q = QP.Spawner;
  }
}

/// True if send E may have run before S completes.
bool mayPrecede(RuleContext &RC, const Event &E, const Event &S,
                ObjectId Channel) {
  if (&E == &S)
    return true;
  if (E.Party != S.Party)
    return mayStartBefore(RC, E.Party, S, Channel);
  // Another run of the same party, or an earlier step of this one.
  return partyRuns(RC, S.Party, Channel) > 1 ||
         mayFollowInParty(RC.Model, E, S);
}

} // namespace

std::optional<uint64_t> channelCapacity(RuleContext &RC, ObjectId Channel) {
  const ChannelCreation *C = RC.Model.creationOf(Channel);
  if (!C)
    return std::nullopt; // made elsewhere: unknown
  if (!C->Capacity)
    return 0;
  Expr::EvalResult R;
  if (C->Capacity->EvaluateAsInt(R, RC.Ctx))
    return R.Val.getInt().getLimitedValue();
  return ManyValues;
}

uint64_t partyRuns(RuleContext &RC, PartyId P, ObjectId Channel) {
  const ChannelCreation *C = freshCreation(RC, Channel);
  uint64_t N = 1;
  for (PartyId Q = P;;) {
    const Party &QP = RC.Model.party(Q);
    // A channel made by the party, or an element of a container each run
    // takes its own of, is a new object per run.
    if (!QP.isTask() || (C && C->Party == Q) || RC.Model.isElement(Channel))
      return N;
    bool Fresh = false;
    N = countTimes(N, runsInParty(RC, QP.SpawnFrame, QP.SpawnOp, C, Fresh));
    if (Fresh)
      return N;
    Q = QP.Spawner;
  }
}

uint64_t timesRun(RuleContext &RC, const Event &E) {
  const ChannelCreation *C = freshCreation(RC, E.Channel);
  bool Fresh = false;
  uint64_t N = runsInParty(RC, E.Frame, E.Loc, C, Fresh);
  if (Fresh)
    return N;
  return countTimes(N, partyRuns(RC, E.Party, E.Channel));
}

uint64_t sendsUpTo(RuleContext &RC, const Event &S) {
  AliasSets &A = RC.Model.aliases();
  ObjectId Channel = A.find(S.Channel);
  uint64_t N = 0;
  for (const Event &E : RC.Model.events())
    if (E.isSend() && A.find(E.Channel) == Channel &&
        mayPrecede(RC, E, S, Channel)) {
      N = plus(N, timesRun(RC, E));
      if (N == ManyValues)
        break;
    }
  return N;
}

bool cannotBlock(RuleContext &RC, const Event &S) {
  std::optional<uint64_t> Cap = channelCapacity(RC, S.Channel);
  if (!Cap || *Cap == 0)
    return false; // unknown, or unbuffered: every send waits for a receiver
  return *Cap == ManyValues || sendsUpTo(RC, S) <= *Cap;
}

} // namespace chanlint
