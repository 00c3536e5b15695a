// The engine's obligations: started at a declaration, discharged by a step,
// a leak where the variable's scope ends while it may still be pending (a
// return, the end of its block, a throw that leaves it).
#include "EngineTestSupport.h"

#include "engine/ScopedObligations.h"

#include "clang/AST/Expr.h"
#include "gtest/gtest.h"

namespace chanlint {
namespace {

using engine::ExceptionEdges;
using engine::FlowStep;
using engine::Obligation;
using test::Fixture;

/// One obligation per local named `t`: started at its declaration,
/// discharged by a call to release(t).
std::vector<Obligation> check(const FunctionIR &IR) {
  const clang::VarDecl *T = nullptr;
  for (const clang::Decl *D : IR.function()->decls())
    if (const auto *V = llvm::dyn_cast<clang::VarDecl>(D); V && V->getName() == "t")
      T = V;
  std::vector<Obligation> Os;
  if (!T)
    return Os;
  Os.push_back({T});
  auto Starts = [&](const FlowStep &S, unsigned) {
    const auto *DS = llvm::dyn_cast_or_null<clang::DeclStmt>(S.stmt());
    return DS && DS->isSingleDecl() && DS->getSingleDecl() == T;
  };
  auto Releases = [&](const FlowStep &S, unsigned) {
    const auto *Call = llvm::dyn_cast_or_null<clang::CallExpr>(S.stmt());
    return Call && Call->getDirectCallee() &&
           Call->getDirectCallee()->getName() == "release";
  };
  engine::checkObligations(IR.flow(ExceptionEdges::Throws), Os,
                           {Starts, Releases});
  return Os;
}

const char *Prelude = R"(
struct Res { Res(); ~Res(); };
void release(Res &);
)";

TEST(ScopedObligations, ReleasedOnEveryPathIsNoLeak) {
  Fixture Fx(std::string(Prelude) + R"(
void f(bool b) {
  Res t;
  if (b) { release(t); return; }
  release(t);
}
)");
  ASSERT_TRUE(Fx.ir());
  auto Os = check(*Fx.ir());
  ASSERT_EQ(Os.size(), 1u);
  EXPECT_TRUE(Os[0].Discharged);
  EXPECT_TRUE(Os[0].ScopeEndReached);
  EXPECT_FALSE(Os[0].Leaks);
}

TEST(ScopedObligations, AnEarlyReturnLeaksAndSaysWhere) {
  Fixture Fx(std::string(Prelude) + R"(
void f(bool b) {
  Res t;
  if (b) return;
  release(t);
}
)");
  ASSERT_TRUE(Fx.ir());
  auto Os = check(*Fx.ir());
  ASSERT_EQ(Os.size(), 1u);
  EXPECT_TRUE(Os[0].Leaks);
  ASSERT_TRUE(Os[0].LeakAt);
  EXPECT_TRUE(llvm::isa<clang::ReturnStmt>(Os[0].LeakAt));
}

TEST(ScopedObligations, AThrowThatLeavesTheScopeLeaks) {
  Fixture Fx(std::string(Prelude) + R"(
void f(bool b) {
  Res t;
  if (b) throw 1;
  release(t);
}
)");
  ASSERT_TRUE(Fx.ir());
  auto Os = check(*Fx.ir());
  ASSERT_EQ(Os.size(), 1u);
  EXPECT_TRUE(Os[0].Leaks);
}

TEST(ScopedObligations, NeverReleasedNorLeftIsPendingForever) {
  Fixture Fx(std::string(Prelude) + R"(
void f() {
  Res t;
  for (;;) {}
}
)");
  ASSERT_TRUE(Fx.ir());
  auto Os = check(*Fx.ir());
  ASSERT_EQ(Os.size(), 1u);
  EXPECT_TRUE(Os[0].neverEnds());
  EXPECT_FALSE(Os[0].Leaks);
}

} // namespace
} // namespace chanlint

namespace chanlint {
namespace {

/// As check(), with case 0 of every select discharging `t` when chosen.
std::vector<Obligation> checkWithFiringCase(const FunctionIR &IR) {
  std::vector<Obligation> Os;
  for (const clang::Decl *D : IR.function()->decls())
    if (const auto *V = llvm::dyn_cast<clang::VarDecl>(D); V && V->getName() == "t")
      Os.push_back({V});
  if (Os.empty())
    return Os;
  auto Declares = [&](const FlowStep &S, unsigned) {
    const auto *DS = llvm::dyn_cast_or_null<clang::DeclStmt>(S.stmt());
    return DS && DS->isSingleDecl() && DS->getSingleDecl() == Os[0].ScopeVar;
  };
  auto Releases = [&](const FlowStep &S, unsigned) {
    const auto *Call = llvm::dyn_cast_or_null<clang::CallExpr>(S.stmt());
    return Call && Call->getDirectCallee() &&
           Call->getDirectCallee()->getName() == "release";
  };
  auto Fires = [&](const FlowStep &S, unsigned) -> std::optional<unsigned> {
    if (S.O && S.O->Kind == OpKind::Select && S.K == FlowStep::Kind::Element)
      return 0u;
    return std::nullopt;
  };
  auto After = [&](const FlowStep &S, unsigned C) {
    engine::KnownAfter K;
    K.Result = llvm::dyn_cast<clang::Expr>(S.O->Site);
    K.ResultValue = C;
    return K;
  };
  engine::ObligationHooks H{Declares, Releases};
  H.DischargingCase = Fires;
  H.KnownAfterCase = After;
  engine::checkObligations(IR.flow(ExceptionEdges::Throws), Os, H);
  return Os;
}

TEST(ScopedObligations, ASelectCaseDischargesOnlyWhereItWasChosen) {
  Fixture Fx(std::string(Prelude) + R"(
bool f(const chan::Context &ctx, chan::Chan<int> in) {
  Res t;
  auto i = chan::select(chan::recv_case(ctx.done(), [](auto) {}),
                        chan::recv_case(in, [](auto) {}));
  if (i == 0)
    return true;
  release(t);
  return false;
}
)");
  ASSERT_TRUE(Fx.ir());
  auto Os = checkWithFiringCase(*Fx.ir());
  ASSERT_EQ(Os.size(), 1u);
  EXPECT_TRUE(Os[0].Discharged);
  EXPECT_FALSE(Os[0].Leaks);
}

TEST(ScopedObligations, TheOtherCasesExitIsTheLeak) {
  Fixture Fx(std::string(Prelude) + R"(
bool f(const chan::Context &ctx, chan::Chan<int> in) {
  Res t;
  auto i = chan::select(chan::recv_case(ctx.done(), [](auto) {}),
                        chan::recv_case(in, [](auto) {}));
  if (i == 0)
    return true;
  return false;
}
)");
  ASSERT_TRUE(Fx.ir());
  auto Os = checkWithFiringCase(*Fx.ir());
  ASSERT_EQ(Os.size(), 1u);
  EXPECT_TRUE(Os[0].Leaks);
  // The dataflow alone meets `return true` first; the paths say it is the
  // other one.
  const auto *R = llvm::dyn_cast_or_null<clang::ReturnStmt>(Os[0].LeakAt);
  ASSERT_TRUE(R);
  const auto *V = llvm::dyn_cast<clang::CXXBoolLiteralExpr>(R->getRetValue()->IgnoreImplicit());
  ASSERT_TRUE(V);
  EXPECT_FALSE(V->getValue());
}

} // namespace
} // namespace chanlint
