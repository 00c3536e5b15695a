// Which operations may block the thread that runs them. Shared by the
// checks that care: a blocking operation under a held mutex, a polling loop
// with nothing that blocks.
#pragma once

#include "../ProgramModel.h"

#include <optional>
#include <string>

namespace chanlint {

/// A channel operation that may wait for another party: a send, receive or
/// range-for outside a select, a WaitGroup or Group wait, a select with no
/// default case.
bool channelOpBlocks(const Op &O);

/// What a blocking op does, for messages: "send on 'out'", "select".
std::string describeBlockingOp(const Op &O, const clang::ASTContext &Ctx);

/// For a call into user code: the first blocking channel op it performs,
/// itself or through what it runs in place (the functions it calls, its
/// Defers and Once calls, its selects' callbacks; a bounded depth), or null.
/// A call handed a lock (a guard or a mutex, which it may release) does not
/// count: whether it blocks under the lock is the callee's business.
const Op *blockingOpInCallee(IRCache &IRs, const Op &Call, unsigned Depth = 3);

/// A statement that may block the thread without a channel: a sleep, a
/// condition variable or future wait, a join, or a call into a function
/// whose body we cannot see and that is not a known non-blocking library
/// function. Calls into user functions with a body are for the caller to
/// follow.
bool statementMayBlock(const clang::Stmt *S, const OpRecognizer &R);

} // namespace chanlint
