// What a send does when its channel is already closed, in the words of the
// channel's model (`on_closed`): chan's send throws closed_channel_error,
// Boost.Fiber's push returns channel_op_status::closed, an in-house queue's
// push returns false, some library's send hangs. The sending rules ask
// here instead of assuming chan's throw.
#pragma once

#include "RuleContext.h"

#include <string>

namespace chanlint {

struct ClosedSend {
  enum class Outcome : uint8_t {
    Throws,  ///< an exception (Model's types), or a model that says nothing
    Status,  ///< returns a "closed" status (Model->Value) and drops the value
    Hangs,   ///< never returns
    Drops,   ///< returns nothing and drops the value
  };
  Outcome What = Outcome::Throws;
  /// The model's entry; null when it says nothing about this send.
  const OnClosed *Model = nullptr;
};

/// What the send does on a closed channel. A select's send case does what
/// its channel's send method does.
ClosedSend closedSend(RuleContext &RC, const Event &Send);

/// The sender is ready for a close: a handler catches what the send throws
/// (go101's SafeSend), or the send returns a status that the code tests.
bool expectsClose(RuleContext &RC, const Event &Send);

/// A send blocked on a channel returns once another party closes it: with
/// a status, having dropped the value, or by a throw that a handler here
/// catches. It does not wait forever for a receiver that is gone.
bool releasedByClose(RuleContext &RC, const Event &Send);

/// What the send does on a closed channel, for a message: "throw
/// closed_channel_error", "hang", "return 'closed'", "drop the value"
/// (after "may"); with ThirdPerson "throws closed_channel_error"...
std::string closedSendVerb(const ClosedSend &C, bool ThirdPerson = false);

/// The unqualified name of the first exception a misuse throws
/// ("closed_channel_error"), or "" when the model names none.
std::string thrownErrorName(const OnClosed *O);

} // namespace chanlint
