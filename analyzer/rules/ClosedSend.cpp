#include "ClosedSend.h"

#include "StatusUse.h"

namespace chanlint {

namespace {

/// The model's word on a send: the called method's entry, or for a select's
/// send case the entry of its channel's (first) send method.
const OnClosed *modelOf(RuleContext &RC, const Event &Send) {
  if (!Send.InSelect)
    return RC.Api.onClosed(Send.Site);
  const ChannelTypeModel *C =
      Send.ChannelExpr ? RC.Api.channelModel(Send.ChannelExpr->getType()) : nullptr;
  return C && !C->Send.empty() ? C->onClosed(C->Send.front()) : nullptr;
}

} // namespace

ClosedSend closedSend(RuleContext &RC, const Event &Send) {
  ClosedSend C;
  C.Model = modelOf(RC, Send);
  if (!C.Model)
    return C;
  switch (C.Model->What) {
  case OnClosed::Kind::Throws:
    C.What = ClosedSend::Outcome::Throws;
    break;
  case OnClosed::Kind::Returns:
    C.What = ClosedSend::Outcome::Status;
    break;
  case OnClosed::Kind::Hangs:
    C.What = ClosedSend::Outcome::Hangs;
    break;
  case OnClosed::Kind::NoOp:
    C.What = ClosedSend::Outcome::Drops;
    break;
  }
  return C;
}

bool expectsClose(RuleContext &RC, const Event &Send) {
  if (Send.CatchesClose)
    return true;
  return closedSend(RC, Send).What == ClosedSend::Outcome::Status &&
         sendStatusTested(RC, Send);
}

bool releasedByClose(RuleContext &RC, const Event &Send) {
  switch (closedSend(RC, Send).What) {
  case ClosedSend::Outcome::Status:
  case ClosedSend::Outcome::Drops:
    return true;
  case ClosedSend::Outcome::Throws:
    return Send.CatchesClose;
  case ClosedSend::Outcome::Hangs:
    return false;
  }
  return false;
}

std::string thrownErrorName(const OnClosed *O) {
  if (!O || O->What != OnClosed::Kind::Throws || O->Exceptions.empty())
    return "";
  llvm::StringRef Type = O->Exceptions.front();
  return (Type.contains("::") ? Type.rsplit("::").second : Type).str();
}

std::string closedSendVerb(const ClosedSend &C, bool ThirdPerson) {
  auto Phrase = [&](const std::string &Verb, const std::string &Rest) {
    return Verb + (ThirdPerson ? "s" : "") + Rest;
  };
  switch (C.What) {
  case ClosedSend::Outcome::Throws: {
    std::string Error = thrownErrorName(C.Model);
    return Phrase("throw", Error.empty() ? "" : " " + Error);
  }
  case ClosedSend::Outcome::Status:
    return Phrase("return", " '" + C.Model->Value + "'");
  case ClosedSend::Outcome::Hangs:
    return Phrase("hang", "");
  case ClosedSend::Outcome::Drops:
    return Phrase("drop", " the value");
  }
  return Phrase("fail", "");
}

} // namespace chanlint
