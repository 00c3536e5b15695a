#include "AnalyzerTestSupport.h"

#include "ApiIndex.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "gtest/gtest.h"

namespace chanlint {
namespace {

const clang::ValueDecl *findVar(clang::ASTUnit &AST, llvm::StringRef Name) {
  for (const clang::Decl *D : AST.getASTContext().getTranslationUnitDecl()->decls())
    if (const auto *V = llvm::dyn_cast<clang::VarDecl>(D); V && V->getIdentifier() && V->getName() == Name)
      return V;
  return nullptr;
}

TEST(ApiIndex, SeesThroughAliasesAndViews) {
  auto AST = test::parse(R"(
    using Jobs = chan::Chan<int>;
    namespace app { using Out = chan::SendChan<int>; }
    Jobs jobs;
    app::Out out = jobs;
    chan::RecvChan<int> in = jobs;
    chan::Ticker t = chan::new_ticker(std::chrono::seconds(1));
    chan::WaitGroup wg;
    std::vector<chan::Chan<int>> many;
    struct Holder { chan::Chan<int> c; } holder;
    int plain = 0;
  )");
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  auto Role = [&](const char *N) { return Api.roleOf(findVar(*AST, N)->getType()); };
  EXPECT_EQ(Role("jobs"), TypeRole::Channel);
  EXPECT_EQ(Role("out"), TypeRole::Channel);
  EXPECT_EQ(Role("in"), TypeRole::Channel);
  EXPECT_EQ(Role("t"), TypeRole::Ticker);
  EXPECT_EQ(Role("wg"), TypeRole::WaitGroup);
  EXPECT_EQ(Role("plain"), TypeRole::None);
  EXPECT_TRUE(Api.isContainerOfHandles(findVar(*AST, "many")->getType()));
  EXPECT_TRUE(Api.holdsHandles(findVar(*AST, "holder")->getType()));
  EXPECT_FALSE(Api.channelModel(findVar(*AST, "in")->getType())->CanSend);
  EXPECT_TRUE(Api.channelModel(findVar(*AST, "out")->getType())->CanSend);
}

TEST(ApiIndex, LibraryCodeIsModelledNotAnalysed) {
  auto AST = test::parse("void user() {}");
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  for (const clang::Decl *D : AST->getASTContext().getTranslationUnitDecl()->decls())
    if (const auto *F = llvm::dyn_cast<clang::FunctionDecl>(D); F && F->getIdentifier() && F->getName() == "user")
      EXPECT_FALSE(Api.isLibraryDecl(F));
}

} // namespace
} // namespace chanlint
