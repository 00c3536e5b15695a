// Does a receiving loop keep receiving until the channel is closed, or may it
// stop early (a break, return or throw taken for some other reason) while
// senders still have values for it?
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"

namespace chanlint {

/// A range-for over a channel whose body may leave the loop.
bool rangeLoopExitsEarly(const clang::Stmt *RangeFor);

/// For a plain `recv()` inside a loop of the same function: the first
/// statement that leaves the loop for a reason other than the channel being
/// closed (`if (!v) break;` on the received optional is a drained channel,
/// `if (!o.ok) return;` is not), or null when every exit is on closed.
const clang::Stmt *recvLoopEarlyExit(const clang::Stmt *Recv,
                                     clang::ASTContext &Ctx);

} // namespace chanlint
