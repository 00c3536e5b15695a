// How many times a statement runs each time its function body runs, when
// the loops around it say so in the source: a counted `for` with constant
// bounds (`for (int i = 0; i < kWorkers; ++i)`), a range-for over a
// constant-size array, `std::array` or braced list. Rules ask it to count
// values (how many sends a channel's buffer must hold) rather than to give
// up on every loop as "many".
#pragma once

#include "ApiIndex.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"

#include <cstdint>
#include <optional>

namespace chanlint {

/// A*B for counts, saturating at UINT64_MAX ("too many to count").
uint64_t countTimes(uint64_t A, uint64_t B);

/// At most how many times the body of a loop statement runs, when its
/// header fixes that with constants (literals, const/constexpr variables,
/// template arguments) and the body does not change the counter.
std::optional<uint64_t> loopTripCount(const ApiIndex &Api, const clang::Stmt *Loop,
                                      clang::ASTContext &Ctx);

/// At most how many times S runs per run of its function (or lambda) body:
/// the product of the trip counts of the loops around it, nullopt when one
/// of them is not known. InCycle: the CFG puts S in a cycle (when it does
/// not, S runs once whatever the syntax says; a cycle that no loop
/// statement explains, a `goto`, is not counted). Loops that also hold
/// FreshEachIteration (the creation of what is counted for) and the loops
/// outside them do not multiply: each of their iterations starts afresh.
std::optional<uint64_t> runsPerCall(const ApiIndex &Api, const clang::Stmt *S,
                                    clang::ASTContext &Ctx,
                                    bool InCycle,
                                    const clang::Stmt *FreshEachIteration = nullptr);

} // namespace chanlint
