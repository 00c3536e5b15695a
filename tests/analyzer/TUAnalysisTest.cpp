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

/// "bound:line:root" for every bound hit, in order (lines of the snippet).
std::vector<std::string> boundHitsOf(clang::ASTUnit &AST, const AnalysisConfig &Config) {
  auto Result = TUAnalysis::run(AST.getASTContext(), Config);
  const clang::SourceManager &SM = AST.getSourceManager();
  std::vector<std::string> Out;
  for (const BoundHit &B : Result->boundHits())
    Out.push_back(std::string(BoundHit::name(B.Bound)) + ":" +
                  std::to_string(SM.getExpansionLineNumber(B.Loc) - 1) + ":" + B.Root);
  return Out;
}

TEST(TUAnalysis, EveryBoundThatCutsTheAnalysisShortIsRecordedWhereItWasHit) {
  auto Wide = test::parse(manyCalls(40));
  ASSERT_TRUE(Wide);
  AnalysisConfig Config;
  Config.Limits.MaxFrames = 16;
  // The 16th call of wide() is the one past the frames of its root.
  EXPECT_EQ(boundHitsOf(*Wide, Config), std::vector<std::string>({"frames:18:wide"}));

  auto Deep = test::parse(R"(
void bottom(chan::Chan<int> ch) { ch.close(); }
void middle(chan::Chan<int> ch) { bottom(ch); }
void top(chan::Chan<int> ch) { chan::go([ch] { middle(ch); }); }
void run() { chan::Chan<int> ch; top(ch); }
)");
  ASSERT_TRUE(Deep);
  // run -> top (1) -> the task's lambda (2) -> middle (3) -> bottom (4).
  Config = AnalysisConfig();
  Config.Limits.MaxDepth = 3;
  EXPECT_EQ(boundHitsOf(*Deep, Config), std::vector<std::string>({"call-depth:3:run"}));
  Config.Limits.MaxDepth = 4;
  EXPECT_TRUE(boundHitsOf(*Deep, Config).empty());

  auto Tasks = test::parse(R"(
void start(chan::Chan<int> ch) {
  chan::go([ch] { ch.send(1); });
  chan::go([ch] { ch.send(2); });
  chan::go([ch] { ch.send(3); });
}
)");
  ASSERT_TRUE(Tasks);
  Config = AnalysisConfig();
  Config.Limits.MaxTasks = 2;
  EXPECT_EQ(boundHitsOf(*Tasks, Config), std::vector<std::string>({"tasks:5:start"}));
  Config.Limits.MaxTasks = 3;
  EXPECT_TRUE(boundHitsOf(*Tasks, Config).empty());
}

TEST(TUAnalysis, OnlyUserCodeIsWalkedAndATUWithoutTheLibraryNotAtAll) {
  // With chan: the user's functions, none of chan's or std's own.
  auto AST = test::parse("void f(chan::Chan<int> ch) { ch.close(); }\n"
                         "int g(int x) { return x + 1; }\n");
  ASSERT_TRUE(AST);
  auto Result = TUAnalysis::run(AST->getASTContext(), AnalysisConfig());
  EXPECT_EQ(Result->stats().Functions, 2u);
  // The AST's traversal scope is the whole TU again afterwards.
  std::vector<clang::Decl *> Scope = AST->getASTContext().getTraversalScope();
  ASSERT_EQ(Scope.size(), 1u);
  EXPECT_TRUE(llvm::isa<clang::TranslationUnitDecl>(Scope.front()));

  // No chan: nothing to find, nothing walked.
  auto Plain = test::parse("int g(int x) { return x + 1; }\n", /*WithChan=*/false);
  ASSERT_TRUE(Plain);
  Result = TUAnalysis::run(Plain->getASTContext(), AnalysisConfig());
  EXPECT_EQ(Result->stats().Functions, 0u);
  EXPECT_TRUE(Result->findings().empty());
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
  // c()'s sends race only with the receiver's close: they are its notes.
  EXPECT_EQ(First, std::vector<std::string>({"ticker-not-stopped:3:16", "unguarded-send:5:61",
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

/// The analysis as it was before the pre-test, for as long as it lives.
class BuildingAllIR {
public:
  BuildingAllIR() { setenv("CHANLINT_BUILD_ALL_IR", "1", 1); }
  ~BuildingAllIR() { unsetenv("CHANLINT_BUILD_ALL_IR"); }
};

TEST(TUAnalysis, IRIsBuiltOnlyForBodiesThatTouchChannels) {
  auto AST = test::parse(R"(
#include <string>
#include <vector>
struct Config { std::string name; int workers = 2; };
int parse(const std::string &s) { return static_cast<int>(s.size()); }
Config load(const std::string &s) { return Config{s, parse(s)}; }
std::vector<int> range(int n) { std::vector<int> v; for (int i = 0; i < n; ++i) v.push_back(i); return v; }
void produce(chan::Chan<int> ch, int n) { for (int v : range(n)) ch.send(v); }
void run(const std::string &text) {
  Config c = load(text);
  chan::Chan<int> ch(c.workers);
  chan::go([ch, n = c.workers] { produce(ch, n); });
  (void)ch.recv();
  ch.close();
}
)");
  ASSERT_TRUE(AST);
  auto With = TUAnalysis::run(AST->getASTContext(), {});
  // produce, run and its lambda; not parse, load, range.
  EXPECT_EQ(With->stats().Functions, 6u);
  EXPECT_EQ(With->stats().IRsBuilt, 3u);
  EXPECT_EQ(With->stats().FunctionsUntouched, 3u);
  std::vector<std::string> Findings = test::findingsOf(*AST);
  EXPECT_EQ(Findings, std::vector<std::string>({"receiver-close:14:3"}));

  BuildingAllIR Before;
  auto Without = TUAnalysis::run(AST->getASTContext(), {});
  EXPECT_EQ(Without->stats().IRsBuilt, 6u);
  EXPECT_EQ(Without->stats().FunctionsUntouched, 0u);
  EXPECT_EQ(test::findingsOf(*AST), Findings);
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
