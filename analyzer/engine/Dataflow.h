// The dataflow engine: a fixed-point solver over a FlowGraph, forward or
// backward, parameterised by an analysis that brings its lattice and its
// transfer functions. The engine owns the paths (normal edges, exceptional
// edges with the scope exits they run, loops to a fixed point, the work
// bound); the analysis only says what one step does to one state.
//
// An analysis is a class with
//   using State = ...;
//   State bottom();                             // nothing known / unreached
//   bool join(State &Into, const State &From);  // true if Into changed
//   void transfer(const FlowStep &S, State &St);
//   void transferEdge(const FlowEdge &E, State &St); // normal edges only
// Backward analyses use the same names; transfer then maps the state after
// a step to the state before it.
#pragma once

#include "FlowGraph.h"

#include "../FunctionIR.h"

#include "llvm/ADT/STLExtras.h"

#include <optional>
#include <vector>

namespace chanlint::engine {

struct SolverOptions {
  /// Rounds over the graph before giving up (the work bound). A run that
  /// hits it says so (Status::BoundHit) instead of passing a partial
  /// result off as a fixed point.
  unsigned MaxRounds = 200;
  /// A loop whose first test always passes (`while (running)` with
  /// `running` still true) leaves only after an iteration: its exit edge
  /// carries what comes back around the loop, not what enters it.
  bool FirstIterationRuns = false;
};

enum class SolveStatus : uint8_t { Converged, BoundHit };

template <typename Analysis> class ForwardDataflow {
public:
  using State = typename Analysis::State;

  ForwardDataflow(const FlowGraph &G, Analysis &A, SolverOptions Opts = {})
      : G(G), A(A), Opts(Opts) {}

  /// Runs to a fixed point from the state at the function's entry.
  SolveStatus solve(const State &Entry) {
    unsigned NB = G.numBlocks();
    EntryState = Entry;
    In.assign(NB, A.bottom());
    Out.assign(NB, A.bottom());
    BackOut.assign(NB, A.bottom());
    Reached.assign(NB, false);
    ThrowOut.assign(NB, {});
    ThrowReached.assign(NB, {});
    for (unsigned B = 0; B < NB; ++B) {
      ThrowOut[B].assign(G.throwsFrom(B).size(), A.bottom());
      ThrowReached[B].assign(G.throwsFrom(B).size(), false);
    }
    for (unsigned Round = 0; Round < Opts.MaxRounds; ++Round) {
      bool Changed = false;
      for (unsigned B : G.order())
        Changed |= visit(B);
      if (!Changed)
        return Status = SolveStatus::Converged;
    }
    return Status = SolveStatus::BoundHit;
  }

  /// Runs the transfer functions once more over every reached block (and
  /// exceptional edge) with the fixed-point states, for analyses that
  /// record what they see only when the states are final.
  void replay() {
    for (unsigned B : G.order())
      if (Reached[B]) {
        bool Any = false;
        State Cur = inState(B, Any);
        run(B, std::move(Cur), /*Record=*/false);
      }
  }

  SolveStatus status() const { return Status; }
  bool reached(unsigned B) const { return Reached[B]; }
  const State &in(unsigned B) const { return In[B]; }
  const State &out(unsigned B) const { return Out[B]; }
  /// The state on leaving the function normally (a return or the end).
  std::optional<State> normalExit() const {
    if (!Reached[G.exit()])
      return std::nullopt;
    return In[G.exit()];
  }
  /// The state on leaving the function by an exception, after the scope
  /// exits on the way have run.
  std::optional<State> unwindExit() const {
    std::optional<State> U;
    for (unsigned B = 0; B < G.numBlocks(); ++B)
      for (unsigned I = 0; I < G.throwsFrom(B).size(); ++I)
        if (ThrowReached[B][I] && G.throwsFrom(B)[I].To == FlowEdge::Unwind) {
          if (!U)
            U = A.bottom();
          A.join(*U, ThrowOut[B][I]);
        }
    return U;
  }

private:
  bool firstRuns(unsigned B) const {
    return Opts.FirstIterationRuns && G.ir().firstTestPasses(B);
  }

  State inState(unsigned B, bool &Any) {
    State Cur = A.bottom();
    Any = B == G.entry();
    if (Any)
      A.join(Cur, EntryState);
    for (const FlowGraph::InEdge &E : G.inEdges(B)) {
      if (E.Exceptional) {
        if (ThrowReached[E.From][E.Index]) {
          A.join(Cur, ThrowOut[E.From][E.Index]);
          Any = true;
        }
        continue;
      }
      if (!Reached[E.From])
        continue;
      const FlowEdge &Edge = G.succs(E.From)[E.Index];
      State S = firstRuns(E.From) && Edge.SuccIndex == 1 ? BackOut[E.From] : Out[E.From];
      A.transferEdge(Edge, S);
      A.join(Cur, S);
      Any = true;
    }
    return Cur;
  }

  /// The state that comes back around a loop into its header.
  State backIn(unsigned B) {
    State Cur = A.bottom();
    for (const FlowGraph::InEdge &E : G.inEdges(B)) {
      if (E.Exceptional || !Reached[E.From] || !G.ir().isBackEdge(E.From, B))
        continue;
      State S = Out[E.From];
      A.transferEdge(G.succs(E.From)[E.Index], S);
      A.join(Cur, S);
    }
    return Cur;
  }

  /// Transfers through the steps of B; with Record, stores what leaves by
  /// exceptional edges. Returns the state at the end of B.
  State run(unsigned B, State Cur, bool Record, bool *Changed = nullptr) {
    llvm::ArrayRef<FlowStep> Steps = G.steps(B);
    llvm::ArrayRef<FlowEdge> Throws = G.throwsFrom(B);
    unsigned T = 0;
    auto Leave = [&](unsigned Upto) {
      for (; T < Throws.size() && Throws[T].AtStep <= Upto; ++T) {
        State S = Cur;
        for (const FlowStep &Exit : Throws[T].ScopeExits)
          A.transfer(Exit, S);
        if (!Record)
          continue;
        bool Grew = A.join(ThrowOut[B][T], S);
        if (!ThrowReached[B][T] || Grew) {
          ThrowReached[B][T] = true;
          *Changed = true;
        }
      }
    };
    for (unsigned I = 0; I < Steps.size(); ++I) {
      Leave(I);
      A.transfer(Steps[I], Cur);
    }
    Leave(~0u);
    return Cur;
  }

  bool visit(unsigned B) {
    bool Any = false;
    State Cur = inState(B, Any);
    if (!Any)
      return false;
    bool Changed = false;
    In[B] = Cur;
    State End = run(B, std::move(Cur), /*Record=*/true, &Changed);
    if (firstRuns(B)) {
      State Back = run(B, backIn(B), /*Record=*/false);
      Changed |= A.join(BackOut[B], Back);
    }
    bool Grew = A.join(Out[B], End);
    if (!Reached[B] || Grew) {
      Reached[B] = true;
      Changed = true;
    }
    return Changed;
  }

  const FlowGraph &G;
  Analysis &A;
  SolverOptions Opts;
  SolveStatus Status = SolveStatus::Converged;
  State EntryState;
  std::vector<State> In, Out, BackOut;
  std::vector<bool> Reached;
  std::vector<std::vector<State>> ThrowOut;
  std::vector<std::vector<bool>> ThrowReached;
};

/// The same engine run against the edges: the state at a block's end is
/// the join of what its successors (and the handlers its throws reach)
/// need; the function's normal and exceptional exits are given.
template <typename Analysis> class BackwardDataflow {
public:
  using State = typename Analysis::State;

  BackwardDataflow(const FlowGraph &G, Analysis &A, SolverOptions Opts = {})
      : G(G), A(A), Opts(Opts) {}

  SolveStatus solve(const State &AtExit, const State &AtUnwind) {
    unsigned NB = G.numBlocks();
    ExitState = AtExit;
    UnwindState = AtUnwind;
    Before.assign(NB, A.bottom());
    Reached.assign(NB, false);
    for (unsigned Round = 0; Round < Opts.MaxRounds; ++Round) {
      bool Changed = false;
      for (unsigned B : llvm::reverse(G.order()))
        Changed |= visit(B);
      if (!Changed)
        return Status = SolveStatus::Converged;
    }
    return Status = SolveStatus::BoundHit;
  }

  SolveStatus status() const { return Status; }
  /// The state before the first step of B (at its entry).
  const State &before(unsigned B) const { return Before[B]; }
  bool reached(unsigned B) const { return Reached[B]; }
  /// The state at the function's entry.
  const State &atEntry() const { return Before[G.entry()]; }
  /// The state just before step Step of block B (Step may be one past the
  /// last step: the state at the block's end), from the fixed point.
  State before(unsigned B, unsigned Step) {
    bool Any = false;
    return walk(B, Step, Any);
  }

private:
  /// Walks B from its end back to (and including) step StopAt; returns the
  /// state before StopAt. Any: some successor or exit was reached.
  State walk(unsigned B, unsigned StopAt, bool &Any) {
    State Cur = A.bottom();
    Any = B == G.exit();
    if (Any)
      A.join(Cur, ExitState);
    for (const FlowEdge &E : G.succs(B)) {
      if (!Reached[E.To])
        continue;
      State S = Before[E.To];
      A.transferEdge(E, S);
      A.join(Cur, S);
      Any = true;
    }
    llvm::ArrayRef<FlowStep> Steps = G.steps(B);
    // What a throw leaving just before step I carries back.
    auto Leave = [&](unsigned I) {
      for (const FlowEdge &E : G.throwsFrom(B)) {
        if (E.AtStep != I)
          continue;
        State S;
        if (E.To == FlowEdge::Unwind)
          S = UnwindState;
        else if (Reached[E.To])
          S = Before[E.To];
        else
          continue;
        for (const FlowStep &Exit : llvm::reverse(E.ScopeExits))
          A.transfer(Exit, S);
        A.join(Cur, S);
        Any = true;
      }
    };
    for (unsigned I = Steps.size(); I-- > StopAt;) {
      A.transfer(Steps[I], Cur);
      Leave(I);
    }
    return Cur;
  }

  bool visit(unsigned B) {
    bool Any = false;
    State Cur = walk(B, 0, Any);
    if (!Any)
      return false;
    bool Grew = A.join(Before[B], Cur);
    if (!Reached[B] || Grew) {
      Reached[B] = true;
      return true;
    }
    return false;
  }

  const FlowGraph &G;
  Analysis &A;
  SolverOptions Opts;
  SolveStatus Status = SolveStatus::Converged;
  State ExitState, UnwindState;
  std::vector<State> Before;
  std::vector<bool> Reached;
};

} // namespace chanlint::engine
