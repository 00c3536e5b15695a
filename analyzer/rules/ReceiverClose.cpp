// chan-receiver-close: a party that does not send on a channel closes it
// while another party may still send.
#include "CloseFacts.h"
#include "RuleRegistry.h"
#include "SourceEdits.h"

namespace chanlint {

namespace {

void checkReceiverClose(RuleContext &RC, std::vector<Finding> &Out) {
  AliasSets &A = RC.Model.aliases();
  for (const Event &Close : RC.Model.events()) {
    if (Close.K != Event::Kind::Close)
      continue;
    if (partySends(RC.Model, Close.Party, Close.Channel, A))
      continue; // a sender closing: chan-multi-sender-close decides
    // The library lets the receiving side close by design: a sender then
    // sees a "closed" status, nothing breaks (Boost.Fiber).
    const ChannelTypeModel *Channel = RC.Api.channelModel(Close.ChannelExpr->getType());
    if (Channel && Channel->ReceiverMayClose)
      continue;
    std::vector<const Event *> Senders = concurrentSenders(RC, Close);
    if (Senders.empty())
      continue;

    bool Receives = false;
    for (const Event &E : RC.Model.events())
      if (E.Party == Close.Party && E.isRecv() &&
          A.find(E.Channel) == A.find(Close.Channel))
        Receives = true;

    std::string Name = channelName(Close.ChannelExpr, RC.Ctx);
    Finding F;
    F.Loc = Close.Site->getBeginLoc();
    F.Range = Close.Site->getSourceRange();
    F.Message = "channel '" + Name + "' is closed " +
                (Receives ? std::string("on the receiving side")
                          : std::string("by a party that does not send on it")) +
                " while a sender may still send on it";
    noteCallPath(RC, Close, F);
    noteSenders(RC, Senders, Name, F);
    F.Notes.push_back(
        {Close.Site->getBeginLoc(),
         "only a sender should close '" + Name +
             "'; to stop the senders early, close a separate signal channel "
             "or cancel a context that they watch",
         false});
    if (auto Fix = removeCloseFix(RC, Close))
      F.Fixes.push_back(*Fix);
    Out.push_back(std::move(F));
  }
}

RuleRegistry::Add Register("chan-receiver-close", checkReceiverClose);

} // namespace

} // namespace chanlint
