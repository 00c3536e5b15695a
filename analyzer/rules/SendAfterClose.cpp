// chan-send-after-close: a send that may run after a close of the same
// channel by the same party. The party's own order decides (the engine's
// paths, with helpers, Defers and select callbacks run in place): a send on
// a path that returns before the close is fine; a close that runs at scope
// exit before the next iteration's send is not. What the send then does is
// the channel model's: chan's throws closed_channel_error, Boost.Fiber's
// push returns channel_op_status::closed and drops the value.
//
// A close in one case of a select that also sends on the channel is
// chan-close-in-select's; a send in a try block that catches the error, or
// whose "closed" status the code tests, is prepared for it.
#include "CloseFacts.h"
#include "ClosedSend.h"
#include "RuleRegistry.h"
#include "SelectScope.h"
#include "SourceEdits.h"

#include "../EventOrder.h"

namespace chanlint {

namespace {

/// The close is in a case of a select whose send case is this send:
/// chan-close-in-select reports it.
bool ownedByCloseInSelect(RuleContext &RC, const Event &Close,
                          const Event &Send) {
  std::optional<SelectCaseScope> S = selectRunning(RC.Model, Close);
  if (!S || !Send.InSelect || Send.Frame != S->Frame ||
      Send.Loc.Block != S->Loc.Block || Send.Loc.Index != S->Loc.Index)
    return false;
  return sendCaseOn(RC, *S, Close.Channel).has_value();
}

void checkSendAfterClose(RuleContext &RC, std::vector<Finding> &Out) {
  AliasSets &A = RC.Model.aliases();
  for (const Event &Send : RC.Model.events()) {
    if (!Send.isSend() || expectsClose(RC, Send))
      continue;
    for (const Event &Close : RC.Model.events()) {
      if (Close.K != Event::Kind::Close || Close.Party != Send.Party ||
          A.find(Close.Channel) != A.find(Send.Channel))
        continue;
      // A channel made anew on each run (a loop body's local, a helper's)
      // is another channel after the close: the engine's order knows it.
      if (!mayFollowInParty(RC.Model, Close, Send) ||
          ownedByCloseInSelect(RC, Close, Send))
        continue;
      std::string Name = channelName(Send.ChannelExpr, RC.Ctx);
      Finding F;
      F.Loc = Send.Site->getBeginLoc();
      F.Range = Send.Site->getSourceRange();
      ClosedSend OnClose = closedSend(RC, Send);
      F.Message = "'" + Name +
                  "' may already be closed by this party when it is sent on "
                  "here; the send " + closedSendVerb(OnClose, /*ThirdPerson=*/true);
      if (OnClose.What == ClosedSend::Outcome::Status)
        F.Message += " and drops the value";
      noteCallPath(RC, Send, F);
      F.Notes.push_back({Close.Site->getBeginLoc(),
                         std::string(Close.Deferred
                                         ? "'" + channelName(Close.ChannelExpr, RC.Ctx) +
                                               "' is closed here when its scope ends"
                                         : "'" + channelName(Close.ChannelExpr, RC.Ctx) +
                                               "' is closed here"),
                         true});
      noteCallPath(RC, Close, F);
      Out.push_back(std::move(F));
      break;
    }
  }
}

RuleRegistry::Add Register("chan-send-after-close", checkSendAfterClose);

} // namespace

} // namespace chanlint
