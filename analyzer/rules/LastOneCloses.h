// "The last one out closes": a many-times sender that counts down a shared
// counter and closes only when it reaches zero closes after every other
// run's sends, so it is not one of several concurrent closers.
#pragma once

#include "RuleContext.h"

namespace chanlint {

/// True if Close sits directly under `if (<count down> == <n>)` where the
/// count-down is an atomic (`fetch_sub`, `--`) or an integer decremented
/// while a lock is held (`std::lock_guard`, `unique_lock`, `scoped_lock`,
/// or `mu.lock()` earlier in an enclosing block).
bool closedByLastOne(RuleContext &RC, const clang::Stmt *Close);

} // namespace chanlint
