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
  bool mayFollow(OpLocation A, OpLocation B) const;

  /// Boolean variables known to hold a value just after an op: a select
  /// case callback that ran `done = true;` before the select returned.
  using KnownFlags =
      llvm::SmallVector<std::pair<const clang::ValueDecl *, bool>, 2>;
  /// mayFollow, on the paths consistent with the known flags: a branch on
  /// a known flag (`if (done) return;`, `while (!stop)`) takes only the
  /// edge its value selects, until a block assigns the flag again.
  bool mayFollow(OpLocation A, OpLocation B, const KnownFlags &Known) const;

  /// True if every path from just after A to the function's end (a return,
  /// the last statement, or an exception leaving it) passes a step for which
  /// Passes holds. Paths that never end (a loop with no exit) do not count
  /// against it.
  bool onEveryPathAfter(OpLocation A,
                        llvm::function_ref<bool(const FlowStep &)> Passes) const;

private:
  /// Block and step index of an op of the IR, if it is on the graph.
  std::optional<std::pair<unsigned, unsigned>> stepOf(OpLocation L) const;
  const std::vector<bool> &reachableFrom(unsigned Block) const;

  const FlowGraph &G;
  std::vector<const clang::CFGBlock *> BlockById;
  std::map<std::pair<unsigned, unsigned>, std::pair<unsigned, unsigned>> StepOfOp;
  mutable std::map<unsigned, std::vector<bool>> Reach; ///< by source block
};

} // namespace chanlint::engine
