#include "CheckCatalog.h"

#include "Version.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"

#include <iterator>

namespace chanlint {

namespace {

const CheckOption UnguardedSendOptions[] = {
    {"WarnWhenContextIgnored", true,
     "Also flag blocking sends that ignore a context in scope."},
};
const CheckOption TickerOptions[] = {
    {"CheckTimers", true, "Check Timers too, not only Tickers."},
};

const CheckInfo Checks[] = {
    {"chan-receiver-close",
     "A channel is closed by a party that does not send on it while a sender "
     "may still send.",
     "Closing a channel from the receiving side, or from a bystander such as "
     "the function that started the senders, races with the senders: a send "
     "after the close throws closed_channel_error. Only a sender may close, "
     "and only once every send is done (after WaitGroup::wait, Group::wait "
     "or joining the senders).",
     "Don't close a channel from the receiver side.",
     "docs/checks/chan-receiver-close.md", "high"},
    {"chan-multi-sender-close",
     "A channel is closed by one of several concurrent senders.",
     "When several tasks send on a channel, none of them may close it: the "
     "others may still send (closed_channel_error) or close it again "
     "(double_close_error). chan::Once prevents the double close but not the "
     "close before the last send. Close once, in a separate task, after a "
     "WaitGroup that the senders report to.",
     "Don't close a channel that has several concurrent senders.",
     "docs/checks/chan-multi-sender-close.md", "high"},
    {"chan-unguarded-send",
     "A send that may block forever or throw is not guarded by a "
     "cancellation case.",
     "A blocking send with no select on a context or signal channel leaks "
     "its task when the receiver stops receiving, and throws when another "
     "party closes the channel. Gate every send that may block on a "
     "cancellation signal, or give the channel room for every value.",
     "Gate every send that may block on a cancellation signal.",
     "docs/checks/chan-unguarded-send.md", "medium", UnguardedSendOptions},
    {"chan-ticker-not-stopped",
     "A Ticker or Timer is not stopped on every path out of its scope.",
     "The timer service keeps a ticker running until stop() is called; "
     "dropping the last handle does not stop it. Stop it on every path, most "
     "simply with a chan::Defer right after creating it, or hand it to an "
     "owner that stops it.",
     "Stop every ticker.",
     "docs/checks/chan-ticker-not-stopped.md", "high", TickerOptions},
};

} // namespace

llvm::ArrayRef<CheckInfo> allChecks() { return Checks; }

CheckId CheckInfo::id() const {
  return CheckId{static_cast<uint8_t>(this - Checks)};
}

const CheckInfo &checkInfo(CheckId Id) {
  return Id.Index < std::size(Checks) ? Checks[Id.Index] : Checks[0];
}

std::optional<CheckId> checkByName(llvm::StringRef Name) {
  for (const CheckInfo &C : Checks)
    if (C.Name == Name)
      return C.id();
  return std::nullopt;
}

CheckId checkNamed(llvm::StringRef Name) {
  std::optional<CheckId> Id = checkByName(Name);
  if (!Id)
    llvm::report_fatal_error(llvm::Twine("chanlint: no catalogue entry for ") + Name);
  return *Id;
}

std::string checkHelpUri(const CheckInfo &Info) {
  return (llvm::Twine(ChanlintRepositoryUrl) + "/blob/main/" + Info.DocPath).str();
}

} // namespace chanlint
