// chan-close-with-pending-sends: a close() that leaves a waiting send
// waiting forever. Some libraries complete only the waiting receives when a
// channel is closed (Asio's close(); asio issues 1318 and 1575): an
// async_send suspended for want of room or of a receiver is neither
// completed nor failed, so the coroutine or handler behind it never runs
// again. The model names such methods (close_leaves_pending); a cancel()
// before the close completes them with an error.
//
// A send may be waiting at the close when it can wait at all (SendRoom:
// the channel has no room for every value sent up to it) and
//  - it is another party's, and that party may be running at the close
//    (Concurrency), or
//  - it is the closing party's own, started without waiting for it (its
//    completion is a handler: the call returns nothing) before the close.
// A send the closing party awaited has completed by then.
#include "CloseFacts.h"
#include "RuleRegistry.h"
#include "SendRoom.h"
#include "SourceEdits.h"

#include "../EventOrder.h"

#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace chanlint {

namespace {

bool sameChannel(RuleContext &RC, const Event &A, const Event &B) {
  AliasSets &Al = RC.Model.aliases();
  return Al.find(A.Channel) == Al.find(B.Channel);
}

/// The send's method is one that the channel's close leaves waiting.
bool closeLeavesWaiting(const ChannelTypeModel &Channel, const Event &S) {
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(S.Site);
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  return M && M->getIdentifier() &&
         llvm::is_contained(Channel.CloseLeavesPending, M->getName());
}

/// An asynchronous call whose result is void completes through a handler:
/// the caller goes on without waiting for it.
bool notAwaited(const Event &S) {
  const auto *Call = dyn_cast_or_null<CallExpr>(S.Site);
  return Call && Call->getType()->isVoidType();
}

bool mayBeWaitingAt(RuleContext &RC, const ChannelTypeModel &Channel,
                    const Event &S, const Event &Close) {
  if (S.K != Event::Kind::Send || !sameChannel(RC, S, Close) ||
      !closeLeavesWaiting(Channel, S) || cannotBlock(RC, S))
    return false;
  if (S.Party != Close.Party)
    return RC.Conc.mayHappenInParallel(Close, S);
  return notAwaited(S) && mayFollowInParty(RC.Model, S, Close);
}

/// A cancel of the channel by the closing party that may run before the
/// close: the waiting sends are completed with an error first.
bool cancelledFirst(RuleContext &RC, const Event &Close) {
  AliasSets &A = RC.Model.aliases();
  ObjectId Channel = A.find(Close.Channel);
  bool Found = false;
  for (FrameId F : RC.Model.party(Close.Party).Frames)
    RC.Model.frame(F).IR->forEachOp([&](const Op &O, OpLocation L) {
      if (Found || O.Kind != OpKind::Cancel ||
          A.find(RC.Model.objectOf(O.Object, F)) != Channel)
        return;
      // The cancel as an event of the party, for the engine's order.
      Event Cancel;
      Cancel.Party = Close.Party;
      Cancel.Frame = F;
      Cancel.Loc = L;
      Found = mayFollowInParty(RC.Model, Cancel, Close);
    });
  return Found;
}

/// `ch.cancel();` before the close, spelled on the close's own object.
std::optional<FixItHint> cancelFirstFix(RuleContext &RC, const Event &Close,
                                        const ChannelTypeModel &Channel) {
  const auto *Call = dyn_cast_or_null<CXXMemberCallExpr>(Close.Site);
  const auto *Member = Call ? dyn_cast<MemberExpr>(Call->getCallee()->IgnoreParens())
                            : nullptr;
  const Stmt *Full = enclosingStatement(Close.Site, RC.Ctx);
  const auto *FullExpr = dyn_cast_or_null<Expr>(Full);
  if (!Member || Member->isImplicitAccess() || Channel.Cancel.empty() || !FullExpr ||
      FullExpr->IgnoreImplicit()->IgnoreParens() != Close.Site)
    return std::nullopt;
  std::string Object = sourceText(Member->getBase(), RC.Ctx);
  if (Object.empty())
    return std::nullopt;
  return insertBeforeStatement(Full,
                               Object + (Member->isArrow() ? "->" : ".") +
                                   Channel.Cancel.front() + "();",
                               RC.Ctx);
}

void checkCloseWithPendingSends(RuleContext &RC, std::vector<Finding> &Out) {
  for (const Event &Close : RC.Model.events()) {
    if (Close.K != Event::Kind::Close || !Close.ChannelExpr)
      continue;
    const ChannelTypeModel *Channel = RC.Api.channelModel(Close.ChannelExpr->getType());
    if (!Channel || Channel->CloseLeavesPending.empty() || cancelledFirst(RC, Close))
      continue;
    // One of several concurrent senders closing is chan-multi-sender-close's:
    // its fix, one close once every sender is done, leaves none waiting.
    if (partySends(RC.Model, Close.Party, Close.Channel, RC.Model.aliases()) &&
        closeRacesWithSends(RC, Close))
      continue;
    std::vector<const Event *> Waiting;
    for (const Event &S : RC.Model.events())
      if (mayBeWaitingAt(RC, *Channel, S, Close))
        Waiting.push_back(&S);
    if (Waiting.empty())
      continue;

    std::string Name = channelName(Close.ChannelExpr, RC.Ctx);
    const auto *SendCall = cast<CXXMemberCallExpr>(Waiting.front()->Site);
    std::string Method = SendCall->getMethodDecl()->getNameAsString();
    Finding F;
    F.Loc = Close.Site->getBeginLoc();
    F.Range = Close.Site->getSourceRange();
    F.Message = "channel '" + Name + "' is closed while a sender may be waiting in '" +
                Method + "' on it; close() does not complete a waiting '" + Method +
                "', which then never completes";
    noteCallPath(RC, Close, F);
    noteSenders(RC, Waiting, Name, F);
    if (!Channel->Cancel.empty())
      F.Notes.push_back({Close.Site->getBeginLoc(),
                         "call '" + Channel->Cancel.front() + "()' on '" + Name +
                             "' before closing it: it completes the waiting sends "
                             "with an error",
                         false});
    if (auto Fix = cancelFirstFix(RC, Close, *Channel))
      F.Fixes.push_back(*Fix);
    Out.push_back(std::move(F));
  }
}

RuleRegistry::Add Register("chan-close-with-pending-sends", checkCloseWithPendingSends);

} // namespace

} // namespace chanlint
