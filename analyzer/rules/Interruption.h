// Boost.Thread's interruption: a thread whose owner calls interrupt() on it
// (a threads entry's `interrupt`, a group's `interrupt_all`) throws
// thread_interrupted from its next or current wait in an interruption point
// (a channel model's `interruptible`: a bounded queue's push_back waiting
// for room, a pull waiting for a value), and the exception ends the thread
// quietly. Such a wait is released as a chan send is by a select on
// ctx.done(): the rules that report a wait nobody ends ask here.
#pragma once

#include "RuleContext.h"

namespace chanlint {

/// True if the wait at Site, an op of party Task, is an interruption point
/// and another party interrupts Task's thread (its handle, an alias of it,
/// the container element or group it was started into) while Task may be
/// running: the wait ends then.
bool interruptEndsWait(RuleContext &RC, PartyId Task, const clang::Stmt *Site);

} // namespace chanlint
