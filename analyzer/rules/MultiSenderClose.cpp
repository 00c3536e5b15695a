// chan-multi-sender-close: a sender closes a channel that other senders
// (other runs of itself, or other parties) may still send on.
#include "CloseFacts.h"
#include "LastOneCloses.h"
#include "RuleRegistry.h"
#include "SourceEdits.h"
#include "SpawnerSpelling.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace chanlint {

namespace {

/// Expression of the WaitGroup the task reports to (its done() object).
std::optional<std::pair<const Expr *, FrameId>>
waitGroupOf(RuleContext &RC, PartyId Task) {
  for (FrameId F : RC.Model.party(Task).Frames) {
    const FunctionIR &IR = *RC.Model.frame(F).IR;
    std::optional<std::pair<const Expr *, FrameId>> Found;
    IR.forEachOp([&](const Op &O, OpLocation) {
      if (!Found && O.Kind == OpKind::WgDone && O.Object)
        Found = std::make_pair(O.Object, F);
    });
    if (Found)
      return Found;
  }
  return std::nullopt;
}

void addCloserFix(RuleContext &RC, const Event &Close, const Party &Task,
                  const std::string &Name, Finding &F) {
  auto Wg = waitGroupOf(RC, Task.Id);
  const Stmt *Loop = enclosingLoop(Task.SpawnSite, RC.Ctx);
  // The closing task, as the channel's model spells it.
  const ChannelTypeModel *Channel = RC.Api.channelModel(Close.ChannelExpr->getType());
  std::string Template = Channel ? Channel->CloseAfterWaitFix : "";
  if (!Wg || !Loop) {
    std::string Example =
        Template.empty() ? ""
                         : ": " + fillTemplate(Template, {{"capture", "[=]"},
                                                          {"wait_group", "wg"},
                                                          {"channel", Name}});
    if (!Example.empty() && Example.back() == ';')
      Example.pop_back();
    F.Notes.push_back({Close.Site->getBeginLoc(),
                       "have every sender call done() on a WaitGroup and close '" + Name +
                           "' once, in a task that waits for it" + Example,
                       false});
    return;
  }
  auto WgName = spellInSpawner(RC, Wg->first, Wg->second, Task.SpawnFrame);
  auto ChName = spellInSpawner(RC, Close.ChannelExpr, Close.Frame,
                               Task.SpawnFrame);
  auto Removal = removeCloseFix(RC, Close);
  if (!WgName || !ChName || !Removal || Template.empty()) {
    F.Notes.push_back({Close.Site->getBeginLoc(),
                       "close '" + Name +
                           "' once, after the senders' WaitGroup is done",
                       false});
    return;
  }
  std::string Capture =
      WgName->NeedsThis || ChName->NeedsThis ? "[=, this]" : "[=]";
  std::string Closer = fillTemplate(
      Template, {{"capture", Capture}, {"wait_group", WgName->Text}, {"channel", ChName->Text}});
  auto Insert = insertAfterStatement(Loop, Closer, RC.Ctx);
  if (!Insert)
    return;
  F.Fixes.push_back(*Removal);
  F.Fixes.push_back(*Insert);
  F.Notes.push_back({Loop->getEndLoc(),
                     "close '" + Name + "' once, after every sender is done",
                     false});
}

} // namespace

namespace {

void checkMultiSenderClose(RuleContext &RC, std::vector<Finding> &Out) {
  AliasSets &A = RC.Model.aliases();
  for (const Event &Close : RC.Model.events()) {
    if (Close.K != Event::Kind::Close ||
        !partySends(RC.Model, Close.Party, Close.Channel, A))
      continue;
    const Party &P = RC.Model.party(Close.Party);
    // Each run of a many-times task may own its channel: made inside it,
    // or its own element of a container.
    bool SelfConcurrent = P.isTask() && P.Many &&
                          !channelPerRun(RC, Close.Channel, P.Id) &&
                          !closedByLastOne(RC, Close);
    std::vector<const Event *> Others = concurrentSenders(RC, Close);
    if (!SelfConcurrent && Others.empty())
      continue;

    std::string Name = channelName(Close.ChannelExpr, RC.Ctx);
    Finding F;
    F.Loc = Close.Site->getBeginLoc();
    F.Range = Close.Site->getSourceRange();
    F.Message = "channel '" + Name +
                "' is closed by one of several concurrent senders; the others "
                "may still send on it";
    if (Close.ViaOnce)
      F.Message += " (chan::Once prevents a second close, not a send after "
                   "the first)";
    if (SelfConcurrent && P.SpawnSite)
      F.Notes.push_back({P.SpawnSite->getBeginLoc(),
                         "the senders are started here and run concurrently",
                         true});
    noteCallPath(RC, Close, F);
    noteSenders(RC, Others, Name, F);
    if (SelfConcurrent)
      addCloserFix(RC, Close, P, Name, F);
    Out.push_back(std::move(F));
  }
}

RuleRegistry::Add Register("chan-multi-sender-close", checkMultiSenderClose);

} // namespace

} // namespace chanlint
