// chan-close-in-select: a close inside the callback of one case of a select
// that also has a send case on the same channel. The select is a sender of
// the channel; closing it from another case (the cancellation case,
// typically) leaves the send case armed: when the select runs again and is
// chosen on the send, it throws closed_channel_error. The close belongs
// after the loop around the select.
//
// A select that cannot run again after the case is left alone: it runs
// once, or what the case leaves behind makes the loop end. That is the
// engine's ordered question "may the send case follow the close in this
// party", asked with what is known once the closing case has returned
// (flags it set, the select's result, a cancelled context, a callback that
// must throw; see KnownAfterOp.h).
#include "CloseFacts.h"
#include "RuleRegistry.h"
#include "SelectScope.h"
#include "SourceEdits.h"

#include "../EventOrder.h"

using namespace clang;

namespace chanlint {

namespace {

/// The event of a select's case.
const Event *caseEvent(const ProgramModel &M, const SelectCaseScope &S,
                       unsigned Case) {
  for (const Event &E : M.events())
    if (E.Frame == S.Frame && E.Loc.Block == S.Loc.Block &&
        E.Loc.Index == S.Loc.Index && E.Case == static_cast<int>(Case))
      return &E;
  return nullptr;
}

void checkCloseInSelect(RuleContext &RC, std::vector<Finding> &Out) {
  for (const Event &Close : RC.Model.events()) {
    if (Close.K != Event::Kind::Close)
      continue;
    std::optional<SelectCaseScope> S = selectRunning(RC.Model, Close);
    if (!S)
      continue;
    std::optional<unsigned> SendCase = sendCaseOn(RC, *S, Close.Channel);
    const Event *Send = SendCase ? caseEvent(RC.Model, *S, *SendCase) : nullptr;
    if (!Send || !mayFollowInParty(RC.Model, Close, *Send))
      continue;
    const Op &Select = RC.Model.op(S->Frame, S->Loc);
    std::string Name = channelName(Close.ChannelExpr, RC.Ctx);
    Finding F;
    F.Loc = Close.Site->getBeginLoc();
    F.Range = Close.Site->getSourceRange();
    F.Message = "channel '" + Name +
                "' is closed inside a case of a select that also sends on it; "
                "the send case throws closed_channel_error when it is chosen "
                "after the close";
    noteCallPath(RC, Close, F);
    F.Notes.push_back({Select.Cases[*SendCase].Site->getBeginLoc(),
                       "'" + Name + "' is sent on by this case of the same select",
                       true});
    F.Notes.push_back({Select.Site->getBeginLoc(),
                       "the select may run again after the close; leave the "
                       "loop in this case and close '" + Name + "' after it",
                       false});
    Out.push_back(std::move(F));
  }
}

RuleRegistry::Add Register("chan-close-in-select", checkCloseInSelect);

} // namespace

} // namespace chanlint
