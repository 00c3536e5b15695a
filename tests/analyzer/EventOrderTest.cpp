// Order of one party's channel events across its frames: helpers it calls,
// the callables it defers, the callbacks of its selects.
#include "EngineTestSupport.h"

#include "EventOrder.h"
#include "ProgramModel.h"

#include "gtest/gtest.h"

namespace chanlint {
namespace {

/// The program model of the root function `f` of a snippet.
class ModelFixture {
public:
  explicit ModelFixture(const std::string &Code) : AST(test::parse(Code)) {
    if (!AST)
      return;
    clang::ASTContext &Ctx = AST->getASTContext();
    Api = std::make_unique<ApiIndex>(ApiModel::chanLibrary());
    Recognizer = std::make_unique<OpRecognizer>(*Api, Ctx);
    IRs = std::make_unique<IRCache>(*Recognizer);
    using namespace clang::ast_matchers;
    auto Found = match(functionDecl(hasName("f"), isDefinition()).bind("f"), Ctx);
    if (Found.empty())
      return;
    Root R{{Found[0].getNodeAs<clang::FunctionDecl>("f")}, nullptr};
    Model = ProgramModel::build(R, *IRs, ModelLimits{});
  }

  /// The events of kind K on the given snippet line (a Defer runs at every
  /// way out of its scope: one event per way).
  std::vector<const Event *> all(Event::Kind K, unsigned Line) const {
    const clang::SourceManager &SM = AST->getSourceManager();
    std::vector<const Event *> Out;
    for (const Event &E : Model->events())
      if (E.K == K && SM.getExpansionLineNumber(E.Site->getBeginLoc()) - 1 == Line)
        Out.push_back(&E);
    return Out;
  }
  const Event *at(Event::Kind K, unsigned Line) const {
    std::vector<const Event *> Found = all(K, Line);
    return Found.empty() ? nullptr : Found.front();
  }

  std::unique_ptr<clang::ASTUnit> AST;
  std::unique_ptr<ApiIndex> Api;
  std::unique_ptr<OpRecognizer> Recognizer;
  std::unique_ptr<IRCache> IRs;
  std::unique_ptr<ProgramModel> Model;
};

TEST(EventOrder, ThroughHelpersAndDefers) {
  ModelFixture Fx(R"(
void closeIt(chan::Chan<int> ch) { ch.close(); }
void f(chan::Chan<int> ch, bool bad) {
  chan::Defer d([=] { ch.close(); });
  ch.send(1);
  if (bad) {
    closeIt(ch);
    return;
  }
  ch.close();
}
)");
  ASSERT_TRUE(Fx.Model);
  const Event *Helper = Fx.at(Event::Kind::Close, 2);
  std::vector<const Event *> Deferred = Fx.all(Event::Kind::Close, 4);
  const Event *Send = Fx.at(Event::Kind::Send, 5);
  const Event *Last = Fx.at(Event::Kind::Close, 10);
  ASSERT_TRUE(Helper && Send && Last);
  // The return and the end of the function each run the Defer.
  ASSERT_EQ(Deferred.size(), 2u);
  const ProgramModel &M = *Fx.Model;
  auto DeferredAfter = [&](const Event &E) {
    unsigned N = 0;
    for (const Event *D : Deferred)
      N += mayFollowInParty(M, E, *D);
    return N;
  };
  EXPECT_TRUE(mayFollowInParty(M, *Send, *Helper));
  EXPECT_TRUE(mayFollowInParty(M, *Send, *Last));
  // The error path returns before the last close...
  EXPECT_FALSE(mayFollowInParty(M, *Helper, *Last));
  EXPECT_FALSE(mayFollowInParty(M, *Last, *Helper));
  // ...but each way out runs the deferred close: once after either.
  EXPECT_EQ(DeferredAfter(*Helper), 1u);
  EXPECT_EQ(DeferredAfter(*Last), 1u);
  EXPECT_EQ(DeferredAfter(*Send), 2u);
  for (const Event *D : Deferred)
    EXPECT_FALSE(mayFollowInParty(M, *D, *Send));
}

TEST(EventOrder, OtherPartiesAreConcurrencysQuestion) {
  ModelFixture Fx(R"(
void f(chan::Chan<int> ch) {
  chan::go([ch] { ch.send(1); });
  ch.close();
}
)");
  ASSERT_TRUE(Fx.Model);
  const Event *Send = Fx.at(Event::Kind::Send, 3);
  const Event *Close = Fx.at(Event::Kind::Close, 4);
  ASSERT_TRUE(Send && Close);
  EXPECT_NE(Send->Party, Close->Party);
  EXPECT_FALSE(mayFollowInParty(*Fx.Model, *Send, *Close));
  EXPECT_FALSE(mayFollowInParty(*Fx.Model, *Close, *Send));
}

TEST(EventOrder, SelectCasesExcludeEachOtherOutsideLoops) {
  ModelFixture Fx(R"(
void f(chan::Chan<int> a, chan::Chan<int> b, int n) {
  chan::select(chan::recv_case(a), chan::send_case(b, 1));
  for (int i = 0; i < n; ++i)
    chan::select(chan::recv_case(a), chan::send_case(b, 2));
}
)");
  ASSERT_TRUE(Fx.Model);
  const Event *RecvOnce = Fx.at(Event::Kind::Recv, 3);
  const Event *SendOnce = Fx.at(Event::Kind::Send, 3);
  const Event *RecvLoop = Fx.at(Event::Kind::Recv, 5);
  const Event *SendLoop = Fx.at(Event::Kind::Send, 5);
  ASSERT_TRUE(RecvOnce && SendOnce && RecvLoop && SendLoop);
  EXPECT_FALSE(mayFollowInParty(*Fx.Model, *RecvOnce, *SendOnce));
  EXPECT_TRUE(mayFollowInParty(*Fx.Model, *RecvLoop, *SendLoop));
  EXPECT_TRUE(mayFollowInParty(*Fx.Model, *SendOnce, *RecvLoop));
}

} // namespace
} // namespace chanlint
