// The dataflow engine on its own: lattices joined to a fixed point, loops,
// the work bound, exceptional edges and the scope exits they run, and the
// backward direction. The analyses here are small on purpose: they only
// say what one op does, the engine does the rest.
#include "EngineTestSupport.h"

#include "engine/Dataflow.h"
#include "engine/Lattices.h"

#include "gtest/gtest.h"

#include <map>

namespace chanlint {
namespace {

using engine::ExceptionEdges;
using test::Fixture;
using engine::FlowEdge;
using engine::FlowGraph;
using engine::FlowStep;

bool closes(const FlowStep &S) {
  if (!S.O)
    return false;
  if (S.O->Kind == OpKind::Close)
    return true;
  // A Defer whose callable closes (enough for these snippets).
  return S.O->Kind == OpKind::DeferRun && S.O->Target.Lambda;
}

/// "Has the channel been closed?" as a may- (any path) or a must- (every
/// path) question: the same transfer, two lattices. Records the state at
/// every send, by line.
class ClosedBefore {
public:
  using State = engine::PathFlag::State; // 0 open, 1 closed
  ClosedBefore(const Fixture &Fx, bool Must) : Fx(Fx), Must(Must) {}

  State bottom() const { return engine::PathFlag::Unreached; }
  bool join(State &Into, const State &From) const {
    return engine::PathFlag::join(Must ? engine::OnPaths::Every : engine::OnPaths::Some,
                                  Into, From);
  }
  void transfer(const FlowStep &S, State &St) {
    if (St < 0)
      return;
    if (Recording && S.O && S.O->Kind == OpKind::Send)
      AtSend[Fx.line(S.O->Site)] = St;
    if (closes(S))
      St = 1;
  }
  void transferEdge(const FlowEdge &, State &) const {}

  bool Recording = false;
  std::map<unsigned, int> AtSend;

private:
  const Fixture &Fx;
  bool Must;
};

std::map<unsigned, int> closedAtSends(const Fixture &Fx, bool Must,
                                      engine::SolverOptions Opts = {}) {
  ClosedBefore A(Fx, Must);
  engine::ForwardDataflow<ClosedBefore> Solver(Fx.ir()->flow(ExceptionEdges::Throws), A, Opts);
  EXPECT_EQ(Solver.solve(0), engine::SolveStatus::Converged);
  A.Recording = true;
  Solver.replay();
  return A.AtSend;
}

TEST(Dataflow, MayAndMustAreTwoLatticesOverTheSamePaths) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch, bool b) {
  if (b)
    ch.close();
  ch.send(1);
}
)");
  ASSERT_TRUE(Fx.ir());
  EXPECT_EQ(closedAtSends(Fx, /*Must=*/false)[5], 1);
  EXPECT_EQ(closedAtSends(Fx, /*Must=*/true)[5], 0);
}

TEST(Dataflow, LoopsReachAFixedPoint) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch, int n) {
  for (int i = 0; i < n; ++i) {
    ch.send(i);
    if (i == 3)
      ch.close();
  }
}
)");
  ASSERT_TRUE(Fx.ir());
  // The close of one iteration comes before the send of the next.
  EXPECT_EQ(closedAtSends(Fx, false)[4], 1);
  EXPECT_EQ(closedAtSends(Fx, true)[4], 0);
}

/// Counts sends along a path, saturating: a lattice of height 4.
class SendCount {
public:
  using State = int;
  State bottom() const { return -1; }
  bool join(State &Into, const State &From) const {
    if (From <= Into)
      return false;
    Into = From;
    return true;
  }
  void transfer(const FlowStep &S, State &St) const {
    if (St >= 0 && S.O && S.O->Kind == OpKind::Send)
      St = std::min(St + 1, 3);
  }
  void transferEdge(const FlowEdge &, State &) const {}
};

TEST(Dataflow, TheWorkBoundIsReportedNotHidden) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch) {
  for (;;) {
    ch.send(1);
    if (ch.size() > 2)
      break;
  }
}
)");
  ASSERT_TRUE(Fx.ir());
  const FlowGraph &G = Fx.ir()->flow(ExceptionEdges::None);
  SendCount A;
  engine::ForwardDataflow<SendCount> Enough(G, A);
  EXPECT_EQ(Enough.solve(0), engine::SolveStatus::Converged);
  EXPECT_EQ(*Enough.normalExit(), 3);

  engine::SolverOptions Tight;
  Tight.MaxRounds = 2;
  engine::ForwardDataflow<SendCount> Bounded(G, A, Tight);
  EXPECT_EQ(Bounded.solve(0), engine::SolveStatus::BoundHit);
}

TEST(Dataflow, AThrowRunsTheDefersOfTheScopesItLeaves) {
  Fixture Fx(R"(
#include <stdexcept>
void f(chan::Chan<int> ch, bool b) {
  chan::Defer d([&] { ch.close(); });
  if (b)
    throw std::runtime_error("x");
  ch.send(1);
}
)");
  ASSERT_TRUE(Fx.ir());
  // Without exceptional edges, clang sends the throw to the exit directly.
  const FlowGraph &Plain = Fx.ir()->flow(ExceptionEdges::None);
  for (unsigned B = 0; B < Plain.numBlocks(); ++B)
    EXPECT_TRUE(Plain.throwsFrom(B).empty());

  const FlowGraph &G = Fx.ir()->flow(ExceptionEdges::Throws);
  unsigned Edges = 0;
  for (unsigned B = 0; B < G.numBlocks(); ++B)
    for (const FlowEdge &E : G.throwsFrom(B)) {
      ++Edges;
      EXPECT_EQ(E.To, FlowEdge::Unwind);
      ASSERT_EQ(E.ScopeExits.size(), 1u);
      EXPECT_EQ(E.ScopeExits[0].ScopeVar->getName(), "d");
      ASSERT_TRUE(E.ScopeExits[0].O);
      EXPECT_EQ(E.ScopeExits[0].O->Kind, OpKind::DeferRun);
      EXPECT_TRUE(E.ScopeExits[0].Exceptional);
    }
  EXPECT_EQ(Edges, 1u);

  ClosedBefore A(Fx, /*Must=*/true);
  engine::ForwardDataflow<ClosedBefore> Solver(G, A);
  ASSERT_EQ(Solver.solve(0), engine::SolveStatus::Converged);
  // The deferred close runs on both ways out.
  ASSERT_TRUE(Solver.unwindExit());
  EXPECT_EQ(*Solver.unwindExit(), 1);
  ASSERT_TRUE(Solver.normalExit());
  EXPECT_EQ(*Solver.normalExit(), 1);
}

/// The handlers the exceptional edges of f reach, by the line of their
/// first statement; -1 for leaving the function.
std::vector<int> handlerLines(const Fixture &Fx, ExceptionEdges Mode) {
  const FlowGraph &G = Fx.ir()->flow(Mode);
  const clang::CFG &Cfg = Fx.ir()->cfg();
  std::vector<const clang::CFGBlock *> ById(Cfg.getNumBlockIDs());
  for (const clang::CFGBlock *B : Cfg)
    ById[B->getBlockID()] = B;
  std::vector<int> Out;
  for (unsigned B = 0; B < G.numBlocks(); ++B)
    for (const FlowEdge &E : G.throwsFrom(B)) {
      if (E.To == FlowEdge::Unwind) {
        Out.push_back(-1);
        continue;
      }
      const auto *H = llvm::cast<clang::CXXCatchStmt>(ById[E.To]->getLabel());
      Out.push_back(static_cast<int>(Fx.line(H)));
    }
  std::sort(Out.begin(), Out.end());
  return Out;
}

TEST(Dataflow, ThrownTypesPickTheirHandlers) {
  Fixture Fx(R"(
struct A {};
struct B {};
struct C : B {};
void f(bool b) {
  try {
    if (b)
      throw C{};
  } catch (const A &) {
  } catch (B &) {
    throw;
  }
}
)");
  ASSERT_TRUE(Fx.ir());
  // C is caught as a B (line 10); the rethrow leaves the function.
  EXPECT_EQ(handlerLines(Fx, ExceptionEdges::Throws), (std::vector<int>{-1, 10}));
}

TEST(Dataflow, CallsThatMayThrowReachEveryHandler) {
  Fixture Fx(R"(
struct A {};
void may();
void never() noexcept;
void f() {
  try {
    never();
    may();
  } catch (const A &) {
  } catch (...) {
  }
}
)");
  ASSERT_TRUE(Fx.ir());
  EXPECT_TRUE(handlerLines(Fx, ExceptionEdges::Throws).empty());
  // Only may() throws, and its type is unknown: both handlers, and the
  // catch-all keeps it in the function.
  EXPECT_EQ(handlerLines(Fx, ExceptionEdges::ThrowsAndCalls), (std::vector<int>{9, 10}));
}

TEST(Dataflow, AThrowInsideATryLeavesOnlyTheScopesInside) {
  Fixture Fx(R"(
#include <stdexcept>
void f(chan::Chan<int> ch, bool b) {
  chan::Defer outer([&] { ch.close(); });
  try {
    chan::Defer inner([&] { ch.close(); });
    if (b)
      throw std::runtime_error("x");
  } catch (const std::exception &) {
  }
}
)");
  ASSERT_TRUE(Fx.ir());
  const FlowGraph &G = Fx.ir()->flow(ExceptionEdges::Throws);
  std::vector<std::string> Left;
  for (unsigned B = 0; B < G.numBlocks(); ++B)
    for (const FlowEdge &E : G.throwsFrom(B)) {
      EXPECT_NE(E.To, FlowEdge::Unwind);
      for (const FlowStep &S : E.ScopeExits)
        Left.push_back(S.ScopeVar->getNameAsString());
    }
  EXPECT_EQ(Left, std::vector<std::string>{"inner"});
}

TEST(Dataflow, AFirstTestThatPassesLeavesOnlyAfterAnIteration) {
  Fixture Fx(R"(
void f(chan::Chan<int> ch) {
  bool running = true;
  while (running) {
    ch.close();
    running = false;
  }
  ch.send(1);
}
)");
  ASSERT_TRUE(Fx.ir());
  EXPECT_EQ(closedAtSends(Fx, /*Must=*/true)[8], 0);
  engine::SolverOptions Opts;
  Opts.FirstIterationRuns = true;
  EXPECT_EQ(closedAtSends(Fx, /*Must=*/true, Opts)[8], 1);
}

/// Backward and must: will the channel be closed on every path from here
/// to the end of the function (normally or by a throw)?
class ClosedLater {
public:
  using State = engine::PathFlag::State;
  State bottom() const { return engine::PathFlag::Unreached; }
  bool join(State &Into, const State &From) const {
    return engine::PathFlag::join(engine::OnPaths::Every, Into, From);
  }
  void transfer(const FlowStep &S, State &St) const {
    if (St >= 0 && closes(S))
      St = 1;
  }
  void transferEdge(const FlowEdge &, State &) const {}
};

int closedOnEveryPath(const std::string &Code) {
  Fixture Fx(Code);
  EXPECT_TRUE(Fx.ir());
  if (!Fx.ir())
    return -2;
  ClosedLater A;
  engine::BackwardDataflow<ClosedLater> Solver(Fx.ir()->flow(ExceptionEdges::Throws), A);
  EXPECT_EQ(Solver.solve(/*AtExit=*/0, /*AtUnwind=*/0), engine::SolveStatus::Converged);
  return Solver.atEntry();
}

TEST(Dataflow, BackwardMustQuestions) {
  EXPECT_EQ(closedOnEveryPath(R"(
void f(chan::Chan<int> ch, bool b) {
  if (b)
    return;
  ch.close();
}
)"),
            0);
  EXPECT_EQ(closedOnEveryPath(R"(
void f(chan::Chan<int> ch, bool b) {
  if (b)
    ch.close();
  else
    ch.close();
}
)"),
            1);
  // A throw escapes the close written at the end...
  EXPECT_EQ(closedOnEveryPath(R"(
#include <stdexcept>
void f(chan::Chan<int> ch, bool b) {
  if (b)
    throw std::runtime_error("x");
  ch.close();
}
)"),
            0);
  // ...but not a deferred one.
  EXPECT_EQ(closedOnEveryPath(R"(
#include <stdexcept>
void f(chan::Chan<int> ch, bool b) {
  chan::Defer d([&] { ch.close(); });
  if (b)
    throw std::runtime_error("x");
}
)"),
            1);
}

} // namespace
} // namespace chanlint
