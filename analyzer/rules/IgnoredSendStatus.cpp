// chan-ignored-send-status: a send that reports a closed channel by its
// result (Boost.Fiber's push returns channel_op_status::closed, an
// in-house queue's push returns false), in a loop, with that result
// dropped, on a channel that another party may close to stop the senders.
// Once it does, every later value is silently lost and the loop goes on
// producing; an endless one never ends.
//
// Only for libraries whose model says a send `returns` a status on a closed
// channel and lets the receiving side close (`receiver_may_close`): there a
// close by a party that does not send is the library's stop signal, and
// the sender must look. Elsewhere that close is chan-receiver-close's; a
// close by another sender is chan-multi-sender-close's.
#include "CloseFacts.h"
#include "ClosedSend.h"
#include "ReceiveLoops.h"
#include "RuleRegistry.h"
#include "SourceEdits.h"
#include "StatusUse.h"

#include "../AncestorWalk.h"
#include "../StatementWrites.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace chanlint {

namespace {

/// The loop that runs a send again: around it in its own function, or
/// around the call that led to it in a caller of the same party.
struct LoopAround {
  const Stmt *Loop = nullptr;
  FrameId Frame = NoFrame;
  OpLocation At; ///< the send, or the call in Frame that leads to it
  explicit operator bool() const { return Loop != nullptr; }
};

LoopAround loopAround(RuleContext &RC, const Event &S) {
  if (const Stmt *L = enclosingLoop(S.Site, RC.Ctx))
    return {L, S.Frame, S.Loc};
  for (FrameId F = S.Frame; F != NoFrame;) {
    const Frame &Fr = RC.Model.frame(F);
    if (Fr.Parent == NoFrame)
      break;
    const Op &Invoker = RC.Model.op(Fr.Parent, Fr.InvokedAt);
    if (Invoker.Site)
      if (const Stmt *L = enclosingLoop(Invoker.Site, RC.Ctx))
        return {L, Fr.Parent, Fr.InvokedAt};
    F = Fr.Parent;
  }
  return {};
}

/// The conditions that decide whether the loop goes on: its own, and those
/// of the `if`s in its body around a way out of it.
llvm::SmallVector<const Expr *, 4> exitConditionsOf(const Stmt *Loop,
                                                    ASTContext &Ctx) {
  llvm::SmallVector<const Expr *, 4> Out;
  if (const Expr *Own = loopCondition(Loop))
    Out.push_back(Own);
  const Stmt *Body = loopBody(Loop);
  forEachLoopExit(Body, [&](const Stmt *Exit) {
    walkUpInFunction(Exit, Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
      const auto *PS = P.get<Stmt>();
      if (PS == Body)
        return true;
      if (const auto *If = dyn_cast_or_null<IfStmt>(PS);
          If && Child != If->getCond() && !llvm::is_contained(Out, If->getCond()))
        Out.push_back(If->getCond());
      return false;
    });
  });
  return Out;
}

/// True if E asks the channel itself something (`!ch.is_closed()`).
bool asksChannel(RuleContext &RC, const Stmt *E, FrameId F, ObjectId Channel) {
  if (!E || isa<LambdaExpr>(E))
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E))
    if (const Expr *Object = MC->getImplicitObjectArgument()) {
      AccessPath P = RC.Model.pathOf(Object, F);
      if (P.Valid && RC.Model.aliases().object(P) == Channel)
        return true;
    }
  return llvm::any_of(E->children(), [&](const Stmt *C) {
    return asksChannel(RC, C, F, Channel);
  });
}

/// True if another party than P may change one of the variables, in the
/// code of any of its frames: a stop flag that whoever closes also sets.
bool changedByOtherParty(RuleContext &RC, PartyId P,
                         const llvm::DenseSet<const ValueDecl *> &Vars) {
  for (const Party &Other : RC.Model.parties()) {
    if (Other.Id == P)
      continue;
    for (FrameId F : Other.Frames)
      if (const Stmt *Body = RC.Model.frame(F).IR->function()->getBody();
          Body && mayChangeOneOf(RC.Api, Body, Vars))
        return true;
  }
  return false;
}

/// True if the loop stops by itself once the channel is closed: a way out
/// that asks the channel (`while (!ch.is_closed())`) or tests a variable
/// another party sets (the closer's stop flag).
bool loopWatchesStop(RuleContext &RC, const Event &S, const LoopAround &L) {
  ObjectId Channel = RC.Model.aliases().find(S.Channel);
  for (const Expr *Cond : exitConditionsOf(L.Loop, RC.Ctx)) {
    if (asksChannel(RC, Cond, L.Frame, Channel))
      return true;
    // What the loop counts itself (`i` in `i < n`) is no stop signal.
    llvm::DenseSet<const ValueDecl *> Named, Vars;
    namedVariables(Cond, Named);
    for (const ValueDecl *V : Named)
      if (!mayChangeOneOf(RC.Api, L.Loop, {V}))
        Vars.insert(V);
    if (!Vars.empty() && changedByOtherParty(RC, S.Party, Vars))
      return true;
  }
  return false;
}

/// Closes that stop the senders by design: by a party that does not send
/// on the channel, in a library that lets the receiving side close, while
/// the send's party may still run.
std::vector<const Event *> stoppingCloses(RuleContext &RC, const Event &S) {
  std::vector<const Event *> Out;
  const ChannelTypeModel *Channel =
      S.ChannelExpr ? RC.Api.channelModel(S.ChannelExpr->getType()) : nullptr;
  if (!Channel || !Channel->ReceiverMayClose)
    return Out;
  AliasSets &A = RC.Model.aliases();
  for (const Event &C : RC.Model.events())
    if (C.K == Event::Kind::Close && C.Party != S.Party &&
        A.find(C.Channel) == A.find(S.Channel) &&
        !partySends(RC.Model, C.Party, C.Channel, A) &&
        RC.Conc.mayHappenInParallel(S, C))
      Out.push_back(&C);
  return Out;
}

void checkIgnoredSendStatus(RuleContext &RC, std::vector<Finding> &Out) {
  for (const Event &S : RC.Model.events()) {
    if (!S.isSend() || S.InSelect || !S.InLoop)
      continue;
    ClosedSend OnClose = closedSend(RC, S);
    if (OnClose.What != ClosedSend::Outcome::Status || sendStatusTested(RC, S))
      continue;
    std::vector<const Event *> Closes = stoppingCloses(RC, S);
    if (Closes.empty())
      continue;
    LoopAround L = loopAround(RC, S);
    if (!L || loopWatchesStop(RC, S, L))
      continue;

    const FunctionIR &IR = *RC.Model.frame(L.Frame).IR;
    bool NeverEnds = !IR.reaches(L.At.Block, IR.cfg().getExit().getBlockID());
    std::string Name = channelName(S.ChannelExpr, RC.Ctx);
    std::string Status = "'" + OnClose.Model->Value + "'";
    Finding F;
    F.Loc = S.Site->getBeginLoc();
    F.Range = S.Site->getSourceRange();
    F.Message = "send on '" + Name + "' ignores the " + Status +
                " status it returns in a loop: once another party closes '" +
                Name + "', every later value is dropped and the loop " +
                (NeverEnds ? "never ends" : "goes on");
    noteCallPath(RC, S, F);
    for (const Event *C : Closes)
      F.Notes.push_back({C->Site->getBeginLoc(),
                         "'" + Name + "' may be closed here by " +
                             RC.Model.describeParty(C->Party),
                         true});
    F.Notes.push_back({L.Loop->getBeginLoc(),
                       "leave this loop when the send returns " + Status,
                       false});
    Out.push_back(std::move(F));
  }
}

RuleRegistry::Add Register("chan-ignored-send-status", checkIgnoredSendStatus);

} // namespace

} // namespace chanlint
