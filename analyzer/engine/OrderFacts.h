// Ordered questions about the ops of one function body, answered on the
// engine's graph (normal and exceptional edges, scope exits included):
//   - may op B run after op A on some path? ("is this close reachable after
//     that close", "does a send follow the close")
//   - does every path from just after op A to the function's exits, normal
//     or by a throw, pass a step with some property? ("is the cancel
//     function called on every path after the context is made", "is the
//     ticker stopped on every path")
// Rules ask; the engine walks.
#pragma once

#include "FlowGraph.h"
#include "KnownValues.h"

#include "../FunctionIR.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <map>
#include <utility>
#include <vector>

namespace chanlint::engine {

class OrderFacts {
public:
  explicit OrderFacts(const FlowGraph &G);

  /// True if B may run after A on some path (in a loop, A may follow itself).
  /// Deferred runs count where they run: at the scope exits, normal or on
  /// the way of an exception.
  bool mayFollow(OpLocation A, OpLocation B) const;
  /// mayFollow, on the paths consistent with what is known just after A:
  /// a branch the facts decide takes only the edge they select, until a
  /// step writes what a fact is about.
  bool mayFollow(OpLocation A, OpLocation B, const KnownAfter &Known) const;

  /// The one value every return reached after A gives back (`return stop;`
  /// with stop known), if there is one.
  std::optional<int64_t> returnedAfter(OpLocation A, const KnownAfter &Known) const;

  /// True if the function may return normally after A: its exit is reached
  /// by normal edges or by throws that a handler of the body catches.
  bool mayReturnAfter(OpLocation A) const;

  /// True if every path from just after A to the function's end (a return,
  /// the last statement, or an exception leaving it) passes a step for which
  /// Passes holds. Paths that never end (a loop with no exit) do not count
  /// against it.
  bool onEveryPathAfter(OpLocation A,
                        llvm::function_ref<bool(const FlowStep &)> Passes) const;
  /// The same from the function's entry.
  bool onEveryPath(llvm::function_ref<bool(const FlowStep &)> Passes) const;

  /// Where an op runs: a step of a block, or a scope exit on an exceptional
  /// edge (Edge is its index in throwsFrom(Block)).
  struct Position {
    unsigned Block = 0;
    unsigned Step = 0;
    int Edge = -1;
  };

private:
  llvm::ArrayRef<Position> positionsOf(OpLocation L) const;

  const FlowGraph &G;
  std::map<std::pair<unsigned, unsigned>, llvm::SmallVector<Position, 1>> Positions;
};

} // namespace chanlint::engine
