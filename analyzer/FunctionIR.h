// One function body as the analysis sees it: clang's CFG with, per block,
// the Ops it performs in evaluation order, the alias facts of the body, and
// which blocks sit in a loop. Built once per function and shared by every
// frame that runs the function.
#pragma once

#include "OpRecognizer.h"
#include "engine/FlowGraph.h"

#include "clang/Analysis/CFG.h"
#include "llvm/ADT/DenseMap.h"

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

namespace chanlint {

namespace engine {
class OrderFacts;
} // namespace engine

class FunctionIR {
public:
  ~FunctionIR();
  /// Builds the IR, or returns null when clang cannot build a CFG.
  static std::unique_ptr<FunctionIR> build(const clang::FunctionDecl *Fn,
                                           const OpRecognizer &R);

  const clang::FunctionDecl *function() const { return Fn; }
  const OpRecognizer &recognizer() const { return *Recognizer; }
  const clang::CFG &cfg() const { return *Cfg; }
  const std::vector<Op> &opsIn(unsigned Block) const { return Ops[Block]; }
  const Op &op(OpLocation L) const { return Ops[L.Block][L.Index]; }
  const std::vector<AliasFact> &facts() const { return Facts; }
  /// Ops that take effect only on one outgoing edge of a block: joining
  /// every thread of a container when a join loop exits, or a thread that is
  /// not joinable() (so already finished) on the false edge of the test.
  llvm::ArrayRef<Op> edgeOps(unsigned Block, unsigned Succ) const;
  bool inLoop(unsigned Block) const { return BlockInCycle[Block]; }
  /// A loop header whose first test always passes: `while (running)` with
  /// `bool running = true;` not assigned before the loop. Its exit edge is
  /// only taken after an iteration.
  bool firstTestPasses(unsigned Block) const {
    return FirstTestPasses.count(Block) != 0;
  }
  /// True if a path of at least one edge leads from block From to block To.
  bool reaches(unsigned From, unsigned To) const {
    return From < Reaches.size() && Reaches[From][To];
  }
  /// True if `From -> To` closes a cycle (From is reachable from To).
  bool isBackEdge(unsigned From, unsigned To) const;
  unsigned numOps() const { return NumOps; }
  /// The op performed by element Element of Block, if any.
  std::optional<unsigned> opAtElement(unsigned Block, unsigned Element) const;
  /// The op the terminator of Block performs (a range-for), if any.
  std::optional<unsigned> terminatorOp(unsigned Block) const;
  /// Where the scope-exit op of a local (a Defer running its callable, a
  /// jthread joining) is, on a normal path out of its scope.
  std::optional<OpLocation> scopeExitOp(const clang::VarDecl *V) const;
  /// The scope-exit op of a local whose scope is only ever left by an
  /// exception (no normal path leaves it), or null.
  const Op *unwindOnlyScopeExitOp(const clang::VarDecl *V) const;
  /// The graph the dataflow engine walks, with the exceptional edges asked
  /// for; built on first use and kept with the IR.
  const engine::FlowGraph &flow(engine::ExceptionEdges Mode) const;
  /// The order of ops on that graph (engine/OrderFacts.h), kept likewise.
  const engine::OrderFacts &order(engine::ExceptionEdges Mode) const;
  /// Every op, in block order (not execution order).
  template <typename Fn> void forEachOp(Fn &&F) const {
    for (unsigned B = 0; B < Ops.size(); ++B)
      for (unsigned I = 0; I < Ops[B].size(); ++I)
        F(Ops[B][I], OpLocation{B, I});
  }

private:
  const clang::FunctionDecl *Fn = nullptr;
  std::unique_ptr<clang::CFG> Cfg;
  std::vector<std::vector<Op>> Ops;
  std::vector<AliasFact> Facts;
  std::map<std::pair<unsigned, unsigned>, std::vector<Op>> EdgeOps;
  std::vector<bool> BlockInCycle;
  std::set<unsigned> FirstTestPasses;
  std::vector<std::vector<bool>> Reaches; ///< Reaches[A][B]: a path A -> B
  unsigned NumOps = 0;
  const OpRecognizer *Recognizer = nullptr;
  /// Per block: element index -> op index (-1: none); the terminator's op.
  std::vector<std::vector<int>> ElementOps;
  std::vector<int> TerminatorOps;
  llvm::DenseMap<const clang::VarDecl *, OpLocation> ScopeExits;
  /// Node-based: steps of the flow graphs point into it.
  mutable std::map<const clang::VarDecl *, std::optional<Op>> UnwindOnlyExits;
  mutable std::array<std::unique_ptr<engine::FlowGraph>, 3> Flows;
  mutable std::array<std::unique_ptr<engine::OrderFacts>, 3> Orders;
};

} // namespace chanlint
