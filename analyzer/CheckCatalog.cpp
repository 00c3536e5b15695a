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
    {"chan-double-close",
     "A channel may be closed twice.",
     "A second close of a channel throws double_close_error. A close is a "
     "double close when it may run after another close of the same channel: "
     "in the same party (a deferred close plus an explicit one, a close in a "
     "loop, an error path that goes on to the success path's close) or in two "
     "parties that each close it. Close in one place, once, by the sender.",
     "Close a channel once, in one place.",
     "docs/checks/chan-double-close.md", "high"},
    {"chan-send-after-close",
     "A party sends on a channel it may already have closed.",
     "A send, try_send or chosen send case on a closed channel throws "
     "closed_channel_error. When the same party closes the channel and may "
     "send on it afterwards (a close inside the loop that sends, a deferred "
     "close before the next iteration), the send fails. Close after the last "
     "send.",
     "Only the sender closes, after its last send.",
     "docs/checks/chan-send-after-close.md", "high"},
    {"chan-close-in-select",
     "A channel is closed inside a case of a select that also sends on it.",
     "A select with a send case on a channel is a sender of it. Closing the "
     "channel from another case (typically the cancellation case) leaves the "
     "send case armed: when the select is chosen on the send after the "
     "close, it throws closed_channel_error. Leave the loop in that case and "
     "close after it.",
     "Only the sender closes, after its last send.",
     "docs/checks/chan-close-in-select.md", "high"},
    {"chan-lost-cancel",
     "The cancel function of with_cancel or with_timeout is not called on "
     "every path.",
     "A context made by with_cancel, with_timeout or with_deadline lives, "
     "with everything that waits on it, until its cancel function is called "
     "or its parent ends. Call the cancel function on every path, most "
     "simply with a chan::Defer right after making the context, or hand it "
     "to an owner.",
     "Call the cancel function on every path (Go's lostcancel).",
     "docs/checks/chan-lost-cancel.md", "high"},
    {"chan-busy-select-loop",
     "A loop polls a select with a default case and never blocks.",
     "A select with a default case never waits. In a loop with no "
     "cancellation case and nothing else that blocks, it spins a core at "
     "full speed while no case is ready. Drop the default and add a case on "
     "a context or stop channel, or block elsewhere in the loop.",
     "Block on channels; don't poll them.",
     "docs/checks/chan-busy-select-loop.md", "medium"},
    {"chan-blocking-under-lock",
     "A channel operation that may block runs while a mutex is held.",
     "A send, receive, range-for, wait or select without default may wait "
     "for another party; if that party needs the same mutex first, both "
     "wait forever, and meanwhile every user of the mutex waits for the "
     "channel. Release the mutex before the channel operation.",
     "Don't block on a channel while holding a lock.",
     "docs/checks/chan-blocking-under-lock.md", "high"},
    {"chan-waitgroup-add-in-task",
     "WaitGroup::add is called inside the task it accounts for.",
     "wait() returns when the count is zero. When the task itself calls "
     "add(), a wait() that runs before the task has started sees zero and "
     "returns while the task still runs. Call add() before starting the "
     "task.",
     "Call WaitGroup.Add before the go statement.",
     "docs/checks/chan-waitgroup-add-in-task.md", "high"},
    {"chan-task-never-exits",
     "A loop in a task can never end.",
     "A task whose loop ends only when a channel is closed, when no party "
     "ever closes it, or that has no way out at all (a ticker loop with no "
     "cancellation case), never returns: the task and everything it holds "
     "leak. Close the channel when the senders are done, or add a "
     "cancellation case that leaves the loop.",
     "Every goroutine must have a way to exit.",
     "docs/checks/chan-task-never-exits.md", "high"},
    {"chan-close-with-pending-sends",
     "A channel is closed while a send may be waiting on it, and the close "
     "leaves that send waiting.",
     "Some libraries complete only the waiting receives when a channel is "
     "closed: Asio's close() leaves an async_send that waits for room or a "
     "receiver waiting forever, and the coroutine or handler behind it never "
     "runs again. Call cancel() before close(): it completes the waiting "
     "sends with an error.",
     "Don't close a channel while a sender may be blocked on it.",
     "docs/checks/chan-close-with-pending-sends.md", "high"},
    {"chan-ignored-send-status",
     "A send in a loop ignores the \"closed\" status it returns, on a channel "
     "another party may close.",
     "In libraries where a send on a closed channel returns a status instead "
     "of throwing (Boost.Fiber's push returns channel_op_status::closed) and "
     "the receiving side may close to stop the senders, a sender that drops "
     "that status never learns it was stopped: every later value is lost and "
     "its loop goes on producing, forever if nothing else ends it. Leave the "
     "loop when the send returns the closed status.",
     "Every goroutine must have a way to exit.",
     "docs/checks/chan-ignored-send-status.md", "high"},
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
