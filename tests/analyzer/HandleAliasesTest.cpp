// Must- and may-alias of local handles per program point: copies keep an
// alias, reassignment and moves end it, paths join.
#include "EngineTestSupport.h"

#include "engine/HandleAliases.h"

#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

#include "gtest/gtest.h"

namespace chanlint {
namespace {

using engine::HandleAliases;
using test::Fixture;
using test::opsOf;

bool isChannel(clang::QualType T) {
  const auto *R = T->getAsCXXRecordDecl();
  return R && R->getName() == "Chan";
}

const clang::ValueDecl *var(const FunctionIR &IR, llvm::StringRef Name) {
  using namespace clang::ast_matchers;
  auto Found = match(functionDecl(forEachDescendant(varDecl(hasName(Name)).bind("v"))),
                     *IR.function(), IR.recognizer().context());
  if (!Found.empty())
    return Found[0].getNodeAs<clang::VarDecl>("v");
  for (const clang::ParmVarDecl *P : IR.function()->parameters())
    if (P->getName() == Name)
      return P;
  return nullptr;
}

TEST(HandleAliases, CopiesReassignmentsMovesAndJoins) {
  Fixture Fx(R"(
#include <utility>
void f(chan::Chan<int> a, chan::Chan<int> b, bool x) {
  chan::Chan<int> c = a;
  c.send(1);
  c = b;
  c.send(2);
  if (x)
    c = a;
  c.send(3);
  chan::Chan<int> d = std::move(c);
  d.send(4);
}
)");
  ASSERT_TRUE(Fx.ir());
  const FunctionIR &IR = *Fx.ir();
  HandleAliases Aliases(IR, isChannel);
  std::vector<OpLocation> Sends = opsOf(IR, OpKind::Send);
  ASSERT_EQ(Sends.size(), 4u);
  const clang::ValueDecl *A = var(IR, "a"), *B = var(IR, "b"), *C = var(IR, "c"),
                         *D = var(IR, "d");
  ASSERT_TRUE(A && B && C && D);

  // A copy is the same channel.
  EXPECT_TRUE(Aliases.mustAlias(Sends[0], C, A));
  EXPECT_FALSE(Aliases.mayAlias(Sends[0], C, B));
  // Reassignment ends the alias.
  EXPECT_TRUE(Aliases.mustAlias(Sends[1], C, B));
  EXPECT_FALSE(Aliases.mayAlias(Sends[1], C, A));
  // Two paths: maybe either, surely neither.
  EXPECT_TRUE(Aliases.mayAlias(Sends[2], C, A));
  EXPECT_TRUE(Aliases.mayAlias(Sends[2], C, B));
  EXPECT_FALSE(Aliases.mustAlias(Sends[2], C, A));
  // A move hands the channel over and leaves the source empty.
  EXPECT_TRUE(Aliases.mayAlias(Sends[3], D, A));
  EXPECT_FALSE(Aliases.mayAlias(Sends[3], C, D));
  EXPECT_TRUE(Aliases.objectsOf(Sends[3], C).empty());
  // Parameters are themselves until reassigned.
  EXPECT_TRUE(Aliases.mustAlias(Sends[3], A, A));
  EXPECT_FALSE(Aliases.mayAlias(Sends[3], A, B));
}

TEST(HandleAliases, AFreshChannelIsNobodyElses) {
  Fixture Fx(R"(
void f(chan::Chan<int> a) {
  chan::Chan<int> c = a;
  c.send(1);
  c = chan::Chan<int>(4);
  c.send(2);
}
)");
  ASSERT_TRUE(Fx.ir());
  HandleAliases Aliases(*Fx.ir(), isChannel);
  std::vector<OpLocation> Sends = opsOf(*Fx.ir(), OpKind::Send);
  const clang::ValueDecl *A = var(*Fx.ir(), "a"), *C = var(*Fx.ir(), "c");
  EXPECT_TRUE(Aliases.mustAlias(Sends.at(0), C, A));
  EXPECT_FALSE(Aliases.mayAlias(Sends.at(1), C, A));
}

bool isChannelOrView(clang::QualType T) {
  const auto *R = T->getAsCXXRecordDecl();
  return R && (R->getName() == "Chan" || R->getName() == "SendChan" ||
               R->getName() == "RecvChan");
}

TEST(HandleAliases, ViewsAndMembersKeepTheObjectUntilReassigned) {
  Fixture Fx(R"(
struct Stage {
  chan::Chan<int> out_;
  void f(chan::Chan<int> other) {
    chan::SendChan<int> s = out_;
    s.send(1);
    out_ = other;
    s.send(2);
  }
};
)");
  ASSERT_TRUE(Fx.ir());
  const FunctionIR &IR = *Fx.ir();
  HandleAliases Aliases(IR, isChannelOrView);
  std::vector<OpLocation> Sends = opsOf(IR, OpKind::Send);
  ASSERT_EQ(Sends.size(), 2u);
  const clang::ValueDecl *S = var(IR, "s"), *Other = var(IR, "other");
  const auto *Method = llvm::cast<clang::CXXMethodDecl>(IR.function());
  const clang::ValueDecl *Out = nullptr;
  for (const clang::FieldDecl *F : Method->getParent()->fields())
    if (F->getName() == "out_")
      Out = F;
  ASSERT_TRUE(S && Other && Out);
  // The send-only view is the member's channel.
  EXPECT_TRUE(Aliases.mustAlias(Sends[0], S, Out));
  // The member now holds another channel; the view still holds the first.
  EXPECT_TRUE(Aliases.mustAlias(Sends[1], Out, Other));
  EXPECT_FALSE(Aliases.mayAlias(Sends[1], S, Out));
}

} // namespace
} // namespace chanlint
