#include "AnalyzerTestSupport.h"

#include "rules/RuleRegistry.h"

#include <map>

#include "gtest/gtest.h"

#include <sstream>

namespace chanlint {
namespace {

/// A helper on channels called from many sites: following every call
/// exceeds the frame budget, so the function is skipped and counted.
std::string manyCalls(int N) {
  std::ostringstream S;
  S << "void produce(chan::Chan<int> ch) { ch.send(1); }\n";
  S << "void wide(chan::Chan<int> ch) {\n";
  for (int I = 0; I < N; ++I)
    S << "  produce(ch);\n";
  S << "}\n";
  return S.str();
}

TEST(TUAnalysis, WorkIsBoundedAndSkippedRootsAreCounted) {
  auto AST = test::parse(manyCalls(40));
  ASSERT_TRUE(AST);
  AnalysisConfig Config;
  Config.Limits.MaxFrames = 16;
  auto Result = TUAnalysis::run(AST->getASTContext(), Config);
  EXPECT_EQ(Result->stats().RootsOverBudget, 1u);
  EXPECT_GE(Result->stats().Roots, 2u);

  Config.Limits.MaxFrames = 600;
  Result = TUAnalysis::run(AST->getASTContext(), Config);
  EXPECT_EQ(Result->stats().RootsOverBudget, 0u);
}

TEST(TUAnalysis, FindingsAreDeterministicAndInSourceOrder) {
  auto AST = test::parse(R"(
void a() {
  chan::Ticker t = chan::new_ticker(std::chrono::seconds(1));
}
void b(const chan::Context &ctx, chan::SendChan<int> out) { out.send(1); }
void c() {
  chan::Chan<int> ch;
  chan::go([ch] { ch.send(1); ch.send(2); });
  (void)ch.recv();
  ch.close();
}
)");
  ASSERT_TRUE(AST);
  std::vector<std::string> First = test::findingsOf(*AST);
  EXPECT_EQ(First, test::findingsOf(*AST));
  EXPECT_EQ(First, std::vector<std::string>({"ticker-not-stopped:3:16", "unguarded-send:5:61",
                                             "unguarded-send:8:19", "unguarded-send:8:31",
                                             "receiver-close:10:3"}));
}

TEST(TUAnalysis, CodeThatDoesNotCompileStillGetsItsFindings) {
  auto AST = test::parse(R"(
void good() {
  chan::Ticker t = chan::new_ticker(std::chrono::seconds(1));
}
void bad() { undeclared(); }
)");
  ASSERT_TRUE(AST);
  EXPECT_TRUE(AST->getDiagnostics().hasErrorOccurred());
  EXPECT_EQ(test::findingsOf(*AST), std::vector<std::string>({"ticker-not-stopped:3:16"}));
}

TEST(TUAnalysis, OnlyTheRulesOfEnabledChecksRun) {
  auto AST = test::parse(R"(
void a() {
  chan::Ticker t = chan::new_ticker(std::chrono::seconds(1));
}
void c() {
  chan::Chan<int> ch;
  chan::go([ch] { ch.send(1); ch.send(2); });
  (void)ch.recv();
  ch.close();
}
)");
  ASSERT_TRUE(AST);
  AnalysisConfig TickersOnly;
  TickersOnly.Enabled = {checkNamed("chan-ticker-not-stopped")};
  EXPECT_EQ(test::findingsOf(*AST, TickersOnly),
            std::vector<std::string>({"ticker-not-stopped:3:16"}));
  // No program rule enabled: no program model is built at all.
  EXPECT_EQ(TUAnalysis::run(AST->getASTContext(), TickersOnly)->stats().Roots, 0u);

  AnalysisConfig ClosesOnly;
  ClosesOnly.Enabled = {checkNamed("chan-receiver-close")};
  EXPECT_EQ(test::findingsOf(*AST, ClosesOnly),
            std::vector<std::string>({"receiver-close:9:3"}));
}

TEST(TUAnalysis, EveryCheckHasOneRuleAndEveryRuleACheck) {
  std::map<std::string, unsigned> RulesPerCheck;
  for (const Rule &R : RuleRegistry::all()) {
    EXPECT_TRUE(checkByName(R.Check).has_value()) << R.Check.str();
    ++RulesPerCheck[R.Check.str()];
  }
  for (const CheckInfo &C : allChecks())
    EXPECT_EQ(RulesPerCheck[C.Name.str()], 1u) << C.Name.str();
}

} // namespace
} // namespace chanlint
