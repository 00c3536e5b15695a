// The control flow the dataflow engine walks: clang's CFG of one function
// body, cut into steps (the CFG elements, with the op each one performs),
// plus the edges clang leaves out. An explicit `throw` (and, when asked, any
// call that may throw) leaves through the handlers of the enclosing try that
// can catch it, or out of the function; on the way it runs the scope exits
// (Defer callables, destructors) of every local whose scope it leaves.
// Normal scope exits are steps too: clang's implicit destructors.
#pragma once

#include "../Operation.h"

#include "clang/AST/StmtCXX.h"
#include "clang/Analysis/CFG.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"

#include <vector>

namespace chanlint {

class FunctionIR;

namespace engine {

/// Which exceptional edges a graph has.
enum class ExceptionEdges : uint8_t {
  None,           ///< clang's CFG as it is
  Throws,         ///< explicit throw expressions
  ThrowsAndCalls, ///< also every call that is not noexcept
};

/// Something that happens at a program point.
struct FlowStep {
  enum class Kind : uint8_t {
    Element,    ///< a CFG element (statement, initializer, ...)
    Terminator, ///< the block's terminator, when it performs an op
    ScopeExit,  ///< a local goes out of scope (normally or by unwinding)
  };
  Kind K = Kind::Element;
  unsigned Block = 0;
  /// Index among the block's steps; ~0u for a scope exit on an edge.
  unsigned Index = 0;
  const clang::CFGElement *Element = nullptr;
  /// The op performed here (or, for a scope exit, the local's scope-exit
  /// op: a Defer's callable, a jthread's join), if any.
  const Op *O = nullptr;
  /// Where O lives in the FunctionIR (meaningful when O is set).
  OpLocation Loc;
  const clang::VarDecl *ScopeVar = nullptr; ///< ScopeExit
  /// ScopeExit: the statement that leaves the scope (a return, a throw, a
  /// break) or null at the end of a block.
  const clang::Stmt *Trigger = nullptr;
  bool Exceptional = false; ///< a scope exit while unwinding

  /// The statement of an element step, or null.
  const clang::Stmt *stmt() const;
};

/// An edge between blocks. Exceptional edges leave from the middle of a
/// block: the state just before step AtStep flows along them.
struct FlowEdge {
  static constexpr unsigned Unwind = ~0u; ///< out of the function by a throw
  unsigned From = 0;
  unsigned To = 0;
  /// Normal edges: the index among clang's successors of From (the false
  /// branch of a condition is 1), for edge ops.
  unsigned SuccIndex = 0;
  bool Exceptional = false;
  unsigned AtStep = 0;
  const clang::Stmt *Trigger = nullptr; ///< the throw or the call
  /// Scope exits run on the way, innermost first (exceptional edges).
  std::vector<FlowStep> ScopeExits;
};

class FlowGraph {
public:
  FlowGraph(const FunctionIR &IR, ExceptionEdges Mode);

  const FunctionIR &ir() const { return IR; }
  ExceptionEdges mode() const { return Mode; }
  unsigned numBlocks() const { return Steps.size(); }
  unsigned entry() const { return Entry; }
  unsigned exit() const { return Exit; }
  llvm::ArrayRef<FlowStep> steps(unsigned Block) const { return Steps[Block]; }
  llvm::ArrayRef<FlowEdge> succs(unsigned Block) const { return Succs[Block]; }
  /// Exceptional edges leaving Block, in step order.
  llvm::ArrayRef<FlowEdge> throwsFrom(unsigned Block) const { return Throws[Block]; }
  /// Blocks reachable from the entry, in reverse post-order.
  llvm::ArrayRef<unsigned> order() const { return Order; }
  /// Edges that reach Block (normal and exceptional), as (block, edge index
  /// into succs() or, with Exceptional, into throwsFrom()).
  struct InEdge {
    unsigned From;
    unsigned Index;
    bool Exceptional;
  };
  llvm::ArrayRef<InEdge> inEdges(unsigned Block) const { return In[Block]; }
  /// clang's block behind a block of the graph (its terminator, its label).
  const clang::CFGBlock *cfgBlock(unsigned Block) const { return Blocks[Block]; }

private:
  void buildSteps();
  void buildNormalEdges();
  void buildExceptionalEdges();
  void addThrow(unsigned Block, unsigned AtStep, const clang::Stmt *Trigger,
                clang::QualType Thrown);
  /// A scope exit run by an exception leaving Block.
  FlowStep scopeExitStep(unsigned Block, const clang::VarDecl *V,
                         const clang::Stmt *Trigger) const;
  void buildOrder();

  const FunctionIR &IR;
  ExceptionEdges Mode;
  unsigned Entry = 0, Exit = 0;
  std::vector<const clang::CFGBlock *> Blocks;
  std::vector<std::vector<FlowStep>> Steps;
  std::vector<std::vector<FlowEdge>> Succs;
  std::vector<std::vector<FlowEdge>> Throws;
  std::vector<std::vector<InEdge>> In;
  std::vector<unsigned> Order;
  llvm::DenseMap<const clang::CXXCatchStmt *, unsigned> HandlerBlocks;
};

} // namespace engine
} // namespace chanlint
