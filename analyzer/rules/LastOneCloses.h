// "The last one out closes": senders that count down a shared counter and
// close only when it reaches zero close after every counted send, so the
// close is not one of several concurrent closers.
#pragma once

#include "RuleContext.h"

namespace chanlint {

/// True if Close sits under `if (<count down> == <n>)` (the comparison may
/// be one of the terms of an `&&`) where the count-down cannot lose a
/// decrement: an atomic (`fetch_sub`, `--`), an integer decremented while a
/// lock is held (`std::lock_guard`, `unique_lock`, `scoped_lock`, or
/// `mu.lock()` earlier in an enclosing block), or a plain integer that only
/// tasks of one cooperative scheduler count down (fibers of one thread:
/// nothing suspends between the decrement and its test).
bool closedByLastOne(RuleContext &RC, const Event &Close);

/// True if Send, another party's, is one of the sends that the last-one
/// Close counts: after Send its party runs the same count-down close on
/// the same counter, so the close cannot come before Send.
bool countedBeforeLastClose(RuleContext &RC, const Event &Close,
                            const Event &Send);

} // namespace chanlint
