// Effect summaries: what a function does to its parameters and members
// (send, receive, close, stop, escape), through the lambdas it runs and the
// functions it calls, and that recursion ends.
#include "AnalyzerTestSupport.h"

#include "ApiIndex.h"
#include "EffectSummary.h"
#include "OpRecognizer.h"
#include "ProgramModel.h"

#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

#include "gtest/gtest.h"

namespace chanlint {
namespace {

/// The summaries of the functions of a snippet.
class Summaries : public test::Snippet {
public:
  explicit Summaries(const std::string &Code) : Snippet(Code) {
    if (parsed())
      S = std::make_unique<EffectSummaries>(*IRs);
  }
  bool ok() const { return parsed(); }

  /// The definition of a function of the snippet ("f", "Pump::run").
  const clang::FunctionDecl *fn(const std::string &Name) const {
    using namespace clang::ast_matchers;
    auto Found = match(functionDecl(hasName(Name), isDefinition(),
                                    isExpansionInMainFile())
                           .bind("f"),
                       AST->getASTContext());
    return Found.empty() ? nullptr : Found[0].getNodeAs<clang::FunctionDecl>("f");
  }
  const clang::FieldDecl *field(const std::string &Name) const {
    using namespace clang::ast_matchers;
    auto Found = match(fieldDecl(hasName(Name), isExpansionInMainFile()).bind("f"),
                       AST->getASTContext());
    return Found.empty() ? nullptr : Found[0].getNodeAs<clang::FieldDecl>("f");
  }
  const FunctionSummary &of(const std::string &Name) { return S->of(fn(Name)); }
  EffectSummaries &summaries() { return *S; }

private:
  std::unique_ptr<EffectSummaries> S;
};

uint8_t member(const FunctionSummary &S, const clang::FieldDecl *F) {
  return S.Members.lookup(F);
}

/// "Sends|Closes", "none": readable effect bits for failure messages.
std::string effects(unsigned Bits) {
  static const std::pair<unsigned, const char *> Names[] = {
      {Sends, "Sends"}, {Receives, "Receives"}, {Closes, "Closes"},
      {Stops, "Stops"}, {Escapes, "Escapes"}};
  std::string Out;
  for (auto [Bit, Name] : Names)
    if (Bits & Bit)
      Out += (Out.empty() ? "" : "|") + std::string(Name);
  return Out.empty() ? "none" : Out;
}

TEST(EffectSummary, EachOperationMarksItsParameter) {
  Summaries Sx(R"(
void f(chan::Chan<int> a, chan::RecvChan<int> b, chan::SendChan<int> c,
       chan::Ticker t, chan::Chan<int> untouched, int n) {
  a.send(n);
  (void)a.try_send(n);
  (void)b.try_recv();
  for (int v : b)
    (void)v;
  c.close();
  t.stop();
}
)");
  ASSERT_TRUE(Sx.ok());
  ASSERT_TRUE(Sx.fn("f"));
  const FunctionSummary &S = Sx.of("f");
  ASSERT_EQ(S.Params.size(), 6u);
  EXPECT_EQ(effects(S.param(0)), effects(Sends));
  EXPECT_EQ(effects(S.param(1)), effects(Receives));
  EXPECT_EQ(effects(S.param(2)), effects(Closes));
  EXPECT_EQ(effects(S.param(3)), effects(Stops));
  EXPECT_EQ(effects(S.param(4)), "none");
  EXPECT_EQ(effects(S.param(5)), "none");
  // Out of range: nothing.
  EXPECT_EQ(effects(S.param(6)), "none");
  EXPECT_TRUE(S.Members.empty());
}

TEST(EffectSummary, MembersAreSummarisedByField) {
  Summaries Sx(R"(
class Pump {
public:
  void run() {
    ch_.close();
    (void)in_.recv();
    this->out_.send(1);
    tick_.stop();
  }
  void idle() { int x = 0; (void)x; }
private:
  chan::Chan<int> ch_, in_, out_, spare_;
  chan::Ticker tick_;
};
)");
  ASSERT_TRUE(Sx.ok());
  ASSERT_TRUE(Sx.fn("Pump::run"));
  const FunctionSummary &Run = Sx.of("Pump::run");
  EXPECT_EQ(effects(member(Run, Sx.field("ch_"))), effects(Closes));
  EXPECT_EQ(effects(member(Run, Sx.field("in_"))), effects(Receives));
  EXPECT_EQ(effects(member(Run, Sx.field("out_"))), effects(Sends));
  EXPECT_EQ(effects(member(Run, Sx.field("tick_"))), effects(Stops));
  EXPECT_FALSE(Run.Members.count(Sx.field("spare_")));
  EXPECT_EQ(Run.Members.size(), 4u);
  EXPECT_TRUE(Run.Params.empty());
  EXPECT_TRUE(Sx.of("Pump::idle").Members.empty());
}

TEST(EffectSummary, LambdasTheFunctionRunsAreItsOwn) {
  Summaries Sx(R"(
#include <optional>
void f(chan::Chan<int> spawned, chan::Chan<int> deferred, chan::Chan<int> called,
       chan::Chan<int> never, chan::Chan<int> selected, chan::Chan<int> inCallback) {
  chan::go([spawned] { spawned.send(1); });
  chan::Defer d([deferred] { deferred.close(); });
  auto l = [called] { (void)called.recv(); };
  l();
  auto unused = [never] { never.close(); };
  (void)unused;
  chan::select(chan::recv_case(selected, [inCallback](std::optional<int>) {
    inCallback.close();
  }));
}
)");
  ASSERT_TRUE(Sx.ok());
  const FunctionSummary &S = Sx.of("f");
  ASSERT_EQ(S.Params.size(), 6u);
  EXPECT_EQ(effects(S.param(0)), effects(Sends));
  EXPECT_EQ(effects(S.param(1)), effects(Closes));
  EXPECT_EQ(effects(S.param(2)), effects(Receives));
  // A lambda that is only made, never run, does nothing.
  EXPECT_EQ(effects(S.param(3)), "none");
  EXPECT_EQ(effects(S.param(4)), effects(Receives));
  EXPECT_EQ(effects(S.param(5)), effects(Closes));
}

TEST(EffectSummary, CallsPassTheCalleesEffectsToTheArguments) {
  Summaries Sx(R"(
void closer(chan::Chan<int> c) { c.close(); }
void relay(chan::RecvChan<int> in, chan::SendChan<int> out) {
  out.send(in.recv().value_or(0));
}
struct Sink {
  void put(chan::Chan<int> c) { c.send(1); }
  void drop() { ch_.close(); }
  chan::Chan<int> ch_;
};
class Owner {
public:
  void shut() { closer(mine_); }
private:
  chan::Chan<int> mine_;
};
void f(chan::Chan<int> a, chan::Chan<int> b, chan::Chan<int> c,
       chan::Chan<int> d, chan::Chan<int> e, Sink s) {
  closer(a);
  relay(b, c);
  s.put(d);
  s.drop();
  (void)e;
}
)");
  ASSERT_TRUE(Sx.ok());
  const FunctionSummary &S = Sx.of("f");
  EXPECT_EQ(effects(S.param(0)), effects(Closes));
  EXPECT_EQ(effects(S.param(1)), effects(Receives));
  EXPECT_EQ(effects(S.param(2)), effects(Sends));
  EXPECT_EQ(effects(S.param(3)), effects(Sends));
  EXPECT_EQ(effects(S.param(4)), "none");
  // s.drop() closes s's member: that is not one of f's handles.
  EXPECT_EQ(effects(S.param(5)), "none");
  EXPECT_TRUE(S.Members.empty());
  // A member passed to a callee takes the callee's effect.
  const FunctionSummary &Shut = Sx.of("Owner::shut");
  EXPECT_EQ(effects(member(Shut, Sx.field("mine_"))), effects(Closes));
}

TEST(EffectSummary, StoredReturnedOrHandedToATaskEscapes) {
  Summaries Sx(R"(
#include <vector>
chan::Chan<int> g_saved;
void closer(chan::Chan<int> c) { c.close(); }
struct Holder {
  void keep(chan::Chan<int> c) { kept = c; }
  chan::Chan<int> kept;
};
chan::Chan<int> pass(chan::Chan<int> c) { return c; }
void store(chan::Chan<int> c) { g_saved = c; }
void local(chan::Chan<int> c) { chan::Chan<int> copy = c; (void)copy; }
void hand(chan::Chan<int> c, chan::Chan<int> kept) {
  chan::go(closer, c);
  (void)kept;
}
void push(chan::Chan<int> c, std::vector<chan::Chan<int>> &v) { v.push_back(c); }
void stopLater(chan::Ticker t) { chan::go([t]() mutable { t.stop(); }); }
)");
  ASSERT_TRUE(Sx.ok());
  EXPECT_EQ(effects(Sx.of("store").param(0)), effects(Escapes));
  EXPECT_EQ(effects(Sx.of("pass").param(0)), effects(Escapes));
  EXPECT_EQ(effects(Sx.of("Holder::keep").param(0)), effects(Escapes));
  EXPECT_EQ(effects(Sx.of("push").param(0)), effects(Escapes));
  EXPECT_EQ(effects(Sx.of("push").param(1)), "none");
  // A local copy stays in the function.
  EXPECT_EQ(effects(Sx.of("local").param(0)), "none");
  // Handed to a task: escapes, and the task's body closes it.
  EXPECT_EQ(effects(Sx.of("hand").param(0)), effects(Escapes | Closes));
  EXPECT_EQ(effects(Sx.of("hand").param(1)), "none");
  // Captured by a task's lambda: the lambda's stop counts.
  EXPECT_EQ(effects(Sx.of("stopLater").param(0)), effects(Stops));
}

TEST(EffectSummary, RecursionTerminates) {
  Summaries Sx(R"(
void countdown(chan::Chan<int> c, int n) {
  if (n > 0)
    countdown(c, n - 1);
  c.send(n);
}
void ping(chan::Chan<int> c, int n);
void pong(chan::Chan<int> c, int n) {
  (void)c.recv();
  if (n)
    ping(c, n - 1);
}
void ping(chan::Chan<int> c, int n) {
  c.send(n);
  if (n)
    pong(c, n - 1);
}
void viaLambda(chan::Chan<int> c, int n) {
  auto again = [&] { viaLambda(c, n - 1); };
  if (n)
    again();
  c.close();
}
)");
  ASSERT_TRUE(Sx.ok());
  EXPECT_EQ(effects(Sx.of("countdown").param(0)), effects(Sends));
  EXPECT_EQ(effects(Sx.of("countdown").param(1)), "none");
  // The cycle is cut where it closes; the first function asked about sees
  // both sides of it.
  EXPECT_EQ(effects(Sx.of("ping").param(0)), effects(Sends | Receives));
  EXPECT_EQ(effects(Sx.of("viaLambda").param(0)), effects(Closes));
  // Asking again gives the memoised summary.
  EXPECT_EQ(&Sx.of("ping"), &Sx.of("ping"));
}

// Known bug (EffectSummaries::of): a summary computed while another
// function of its call cycle is in progress is memoised incomplete, so the
// answer depends on which function of the cycle is asked about first. Here
// pong() sends on c through ping(), but asking about ping() first leaves
// pong()'s summary without Sends for good.
TEST(EffectSummary, MutualRecursionDoesNotDependOnQueryOrder) {
  const char *Code = R"(
void ping(chan::Chan<int> c, int n);
void pong(chan::Chan<int> c, int n) {
  (void)c.recv();
  if (n)
    ping(c, n - 1);
}
void ping(chan::Chan<int> c, int n) {
  c.send(n);
  if (n)
    pong(c, n - 1);
}
)";
  Summaries PongFirst(Code);
  ASSERT_TRUE(PongFirst.ok());
  EXPECT_EQ(effects(PongFirst.of("pong").param(0)), effects(Sends | Receives));

  Summaries PingFirst(Code);
  ASSERT_TRUE(PingFirst.ok());
  (void)PingFirst.of("ping");
  EXPECT_EQ(effects(PingFirst.of("pong").param(0)), effects(Sends | Receives));
}

// Known bug: effects are attributed by the root of the expression only, so
// an operation on a local copy (or an init capture) of a parameter is lost.
// chan-ticker-not-stopped then reports a ticker handed to
// `void stopViaCopy(chan::Ticker t) { chan::Ticker u = t; u.stop(); }`.
TEST(EffectSummary, ALocalCopyOfAParameterIsTheParameter) {
  Summaries Sx(R"(
void stopViaCopy(chan::Ticker t) { chan::Ticker u = t; u.stop(); }
void closeViaCapture(chan::Chan<int> c) { chan::go([d = c] { d.close(); }); }
)");
  ASSERT_TRUE(Sx.ok());
  EXPECT_EQ(effects(Sx.of("stopViaCopy").param(0)), effects(Stops));
  EXPECT_EQ(effects(Sx.of("closeViaCapture").param(0)), effects(Closes));
}

// API pitfall (no caller hits it today: they pass definitionOf()): asked
// about a forward declaration, of() builds the IR from the definition's
// body but matches its parameters against the declaration's, so every
// parameter comes out untouched.
TEST(EffectSummary, ADeclarationHasItsDefinitionsSummary) {
  Summaries Sx(R"(
void closer(chan::Chan<int> c);
void closer(chan::Chan<int> c) { c.close(); }
)");
  ASSERT_TRUE(Sx.ok());
  const clang::FunctionDecl *Def = Sx.fn("closer");
  ASSERT_TRUE(Def);
  const clang::FunctionDecl *Decl = Def->getPreviousDecl();
  ASSERT_TRUE(Decl);
  EXPECT_EQ(effects(Sx.summaries().of(Def).param(0)), effects(Closes));
  EXPECT_EQ(effects(Sx.summaries().of(Decl).param(0)), effects(Closes));
}

TEST(EffectSummary, UnknownFunctionsHaveEmptySummaries) {
  Summaries Sx(R"(
void declared(chan::Chan<int> c);
void f(chan::Chan<int> c) { declared(c); }
)");
  ASSERT_TRUE(Sx.ok());
  EXPECT_TRUE(Sx.summaries().of(nullptr).Params.empty());
  // A call to a function without a body has no visible effect.
  const FunctionSummary &F = Sx.of("f");
  ASSERT_EQ(F.Params.size(), 1u);
  EXPECT_EQ(effects(F.param(0)), "none");
}

} // namespace
} // namespace chanlint
