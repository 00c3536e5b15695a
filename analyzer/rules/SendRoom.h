// Can a send block? A send waits only when its channel's buffer is full,
// and the buffer never holds more values than have been sent: a send that
// at most `capacity` sends (itself included) may precede cannot block,
// whoever receives and whenever. This file counts those sends over the
// program model: each send of the channel that may come before this one
// (in its own party, on some path; in another party, once that party may
// have started), as many times as its loops and its party run, per channel
// object (a channel made inside a loop or a task is a new one each time).
#pragma once

#include "RuleContext.h"

#include <cstdint>
#include <optional>

namespace chanlint {

/// A count with no bound we know ("many").
constexpr uint64_t ManyValues = UINT64_MAX;

/// The capacity of a channel made in this root: 0 for an unbuffered one,
/// ManyValues when it is an expression taken to be sized to the senders
/// (`Chan<R> out(urls.size())`); nullopt when it was made elsewhere.
std::optional<uint64_t> channelCapacity(RuleContext &RC, ObjectId Channel);

/// At most how many times the event runs per object of its channel: the
/// loops around it in each frame up to its party's body, times the runs
/// of its party (the loops around its start, and its spawner's runs), up
/// to the frame that makes the channel. ManyValues when a loop's count is
/// not known.
uint64_t timesRun(RuleContext &RC, const Event &E);

/// At most how many times the party runs per object of the channel.
uint64_t partyRuns(RuleContext &RC, PartyId P, ObjectId Channel);

/// At most how many values have been sent on S's channel once S completes,
/// S included: the room the channel needs so that S never waits.
uint64_t sendsUpTo(RuleContext &RC, const Event &S);

/// True if the send can never block: its channel was made here with room
/// for every value that may be sent up to and including it.
bool cannotBlock(RuleContext &RC, const Event &S);

} // namespace chanlint
