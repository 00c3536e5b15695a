// Does a receiving loop keep receiving until the channel is closed, or may it
// stop early (a break, return or throw taken for some other reason) while
// senders still have values for it?
#pragma once

#include "../ApiIndex.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace chanlint {

/// Calls Exit for each statement in a loop's body that leaves the loop: a
/// return, a throw, a goto, a break not inside a nested loop or switch.
void forEachLoopExit(const clang::Stmt *Body,
                     llvm::function_ref<void(const clang::Stmt *)> Exit);

/// A range-for over a channel whose body may leave the loop.
bool rangeLoopExitsEarly(const clang::Stmt *RangeFor);

/// For a plain `recv()` inside a loop of the same function: the first
/// statement that leaves the loop for a reason other than the channel being
/// closed (`if (!v) break;` on the received optional is a drained channel,
/// `if (!o.ok) return;` is not), or null when every exit is on closed.
/// What the receive returns on a closed channel is its model's `on_closed`:
/// an empty optional is tested as the optional's model says (`has_value()`,
/// `== std::nullopt`); with a status (Boost.Fiber's `pop(v)` returns
/// `closed`), a test of that status is a drained channel too (`if
/// (ch.pop(v) != channel_op_status::success) break;`).
const clang::Stmt *recvLoopEarlyExit(const ApiIndex &Api, const clang::Stmt *Recv,
                                     clang::ASTContext &Ctx);

/// For a plain receive inside a loop's body: the loop's condition when it
/// may end the loop without the channel being closed (`while (running)`,
/// `while (!stop.stop_requested())`: a flag another party sets, often with
/// a wake-up value so that the receive returns and the flag is seen), or
/// null when it cannot: none (`for (;;)`), constant true, or a test of the
/// receive's result (`do { v = ch.recv(); } while (v);`). A receive in the
/// condition itself (`while (ch.pop(v) == success)`) is not in the body.
const clang::Expr *recvLoopConditionExit(const clang::Stmt *Recv,
                                         clang::ASTContext &Ctx);

/// For a receive case of a `chan::select` whose other cases are signals
/// (a context, a timer, a stop channel): where the receiving may end when a
/// signal case wins. The statement that leaves the loop around the select,
/// or RecvCase itself for a one-shot select (or an exit we cannot explain);
/// null when the select sits in a loop that leaves only on the receive case
/// (`if (i == 0 && !v) break;`) or never, as a batcher that flushes on a
/// ticker and loops again does.
const clang::Stmt *selectSignalExit(const clang::Stmt *RecvCase,
                                    clang::ASTContext &Ctx);

} // namespace chanlint
