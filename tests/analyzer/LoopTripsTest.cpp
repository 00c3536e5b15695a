// How many times loops run, read from their headers: what the send count
// of chan-unguarded-send is built on.
#include "AnalyzerTestSupport.h"

#include "LoopTrips.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "gtest/gtest.h"

namespace chanlint {
namespace {

using namespace clang::ast_matchers;

/// The trip counts of every loop in the snippet's function `f`, in order.
std::vector<std::optional<uint64_t>> tripsIn(const std::string &Code) {
  auto AST = test::parse(Code, /*WithChan=*/false);
  EXPECT_TRUE(AST);
  std::vector<std::optional<uint64_t>> Out;
  if (!AST)
    return Out;
  clang::ASTContext &Ctx = AST->getASTContext();
  auto Loops = match(
      functionDecl(hasName("f"),
                   forEachDescendant(stmt(anyOf(forStmt(), cxxForRangeStmt(),
                                                whileStmt()))
                                         .bind("loop"))),
      Ctx);
  ApiIndex Api(ModelSet::builtin());
  for (const BoundNodes &N : Loops)
    Out.push_back(loopTripCount(Api, N.getNodeAs<clang::Stmt>("loop"), Ctx));
  return Out;
}

/// runsPerCall of the call to `use` in the snippet's function `f`, with the
/// creation of `fresh` (if any) as the statement made anew per iteration.
std::optional<uint64_t> runsOfUse(const std::string &Code) {
  auto AST = test::parse(Code, /*WithChan=*/false);
  EXPECT_TRUE(AST);
  if (!AST)
    return std::nullopt;
  clang::ASTContext &Ctx = AST->getASTContext();
  auto Uses = match(functionDecl(hasName("f"),
                                 forEachDescendant(callExpr(callee(functionDecl(
                                                                hasName("use"))))
                                                       .bind("use"))),
                    Ctx);
  auto Fresh = match(functionDecl(hasName("f"),
                                  forEachDescendant(varDecl(hasName("fresh"))
                                                        .bind("fresh"))),
                     Ctx);
  EXPECT_EQ(Uses.size(), 1u);
  if (Uses.size() != 1)
    return std::nullopt;
  const clang::Stmt *FreshInit = nullptr;
  if (!Fresh.empty())
    FreshInit = Fresh.front().getNodeAs<clang::VarDecl>("fresh")->getInit();
  return runsPerCall(ApiIndex(ModelSet::builtin()),
                     Uses.front().getNodeAs<clang::Stmt>("use"), Ctx,
                     /*InCycle=*/true, FreshInit);
}

TEST(LoopTrips, CountedForHeaders) {
  auto Trips = tripsIn(R"(
constexpr int kWorkers = 4;
template <int N> struct Fixed { static constexpr int n = N; };
void f(int n, int skip) {
  for (int i = 0; i < 3; ++i) {}
  for (int i = 0; i < kWorkers; i++) {}
  const int slots = 6;
  for (int i = 1; i <= slots; ++i) {}
  for (int i = 5; i > 0; --i) {}
  for (int i = 0; i < 5; i += 2) {}
  for (int i = 0; 3 > i; ++i) {}
  for (int i = 0; i != 4; ++i) {}
  for (int i = 0; i < Fixed<7>::n; ++i) {}
  for (int i = 9; i < 3; ++i) {}
}
)");
  std::vector<std::optional<uint64_t>> Want = {3, 4, 6, 5, 3, 3, 4, 7, 0};
  EXPECT_EQ(Trips, Want);
}

TEST(LoopTrips, UnknownCounts) {
  auto Trips = tripsIn(R"(
void f(int n, int skip) {
  for (int i = 0; i < n; ++i) {}
  for (int i = 0; i < 3; ++i) { i -= skip; }
  for (int i = 0; i != 5; i += 2) {}
  for (int i = 0; i < 3; --i) {}
  for (int i = 0;; ++i) { if (i > 3) break; }
  int k = 0;
  while (k < 3) ++k;
}
)");
  std::vector<std::optional<uint64_t>> Want(6, std::nullopt);
  EXPECT_EQ(Trips, Want);
}

TEST(LoopTrips, FixedRanges) {
  auto Trips = tripsIn(R"(
#include <array>
#include <vector>
void f(const std::vector<int> &v) {
  std::array<int, 3> a{};
  int c[5] = {};
  for (int x : a) (void)x;
  for (int x : c) (void)x;
  for (int x : {1, 2}) (void)x;
  for (int x : v) (void)x;
}
)");
  std::vector<std::optional<uint64_t>> Want = {3, 5, 2, std::nullopt};
  EXPECT_EQ(Trips, Want);
}

TEST(LoopTrips, RunsThroughNestedLoops) {
  EXPECT_EQ(runsOfUse(R"(
void use(int);
void f() {
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      use(i + j);
}
)"),
            std::optional<uint64_t>(6));
  // A loop whose count is unknown makes the whole count unknown.
  EXPECT_EQ(runsOfUse(R"(
void use(int);
void f(int n) {
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < 3; ++j)
      use(i + j);
}
)"),
            std::nullopt);
}

TEST(LoopTrips, FreshEachIterationStopsTheCount) {
  // What is made inside the outer loop is new in each of its iterations:
  // only the inner loop counts for it.
  EXPECT_EQ(runsOfUse(R"(
void use(int);
void f(int n) {
  for (int i = 0; i < n; ++i) {
    int fresh = i;
    for (int j = 0; j < 3; ++j)
      use(fresh + j);
  }
}
)"),
            std::optional<uint64_t>(3));
}

} // namespace
} // namespace chanlint
