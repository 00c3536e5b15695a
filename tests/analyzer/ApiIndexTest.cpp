#include "AnalyzerTestSupport.h"

#include "ApiIndex.h"
#include "ModelLoader.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/STLExtras.h"
#include "gtest/gtest.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

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


const clang::CXXMethodDecl *findMethod(clang::ASTUnit &AST, llvm::StringRef Class,
                                      llvm::StringRef Name) {
  for (const clang::Decl *D : AST.getASTContext().getTranslationUnitDecl()->decls())
    if (const auto *T = llvm::dyn_cast<clang::ClassTemplateDecl>(D); T && T->getName() == Class)
      for (const clang::Decl *M : T->getTemplatedDecl()->decls())
        if (const auto *MD = llvm::dyn_cast<clang::CXXMethodDecl>(M);
            MD && MD->getIdentifier() && MD->getName() == Name)
          return MD;
  return nullptr;
}

std::string loadError(llvm::StringRef Text) {
  auto M = parseModel(Text, "m.json");
  return M ? "" : llvm::toString(M.takeError());
}

TEST(ModelLoader, BuiltinModelsParse) {
  // Every models/*.json is compiled in and parses. The shipped ones are
  // named, not the whole list: a new library is a data file, with no edit here.
  std::vector<std::string> Names;
  for (const ApiModel &M : builtinModels())
    Names.push_back(M.Name);
  for (const char *Name : {"asio", "boost-fiber", "boost-thread", "chan", "std"})
    EXPECT_TRUE(llvm::is_contained(Names, Name)) << Name;
  const ApiModel &Chan =
      *llvm::find_if(builtinModels(), [](const ApiModel &M) { return M.Name == "chan"; });
  ASSERT_FALSE(Chan.Channels.empty());
  const OnClosed *Close = Chan.Channels.front().onClosed("close");
  ASSERT_TRUE(Close);
  EXPECT_EQ(Close->What, OnClosed::Kind::Throws);
  EXPECT_EQ(Close->Exceptions.front(), "chan::double_close_error");
}

TEST(ModelLoader, ErrorsNameTheKeyAndTheProblem) {
  EXPECT_EQ(loadError(R"({"channels": []})"), "m.json: name: is required");
  EXPECT_EQ(loadError(R"({"name": "x", "chanels": []})").substr(0, 36),
            "m.json: chanels: unknown key (known ");
  EXPECT_EQ(loadError(R"({"name": "x", "channels": [{"type": "Q", "send": "push"}]})"),
            "m.json: channels[0].send: must be an array of strings");
  EXPECT_EQ(loadError(R"({"name": "x", "spawners": [{"form": "thread", "name": "f"}]})"),
            "m.json: spawners[0].form: must be one of \"free_function\", \"method\", "
            "\"constructor\"");
  EXPECT_EQ(loadError(R"({"name": "x", "channels": [{"type": "Q", "capacity_argument": -1}]})"),
            "m.json: channels[0].capacity_argument: must be an argument index from 0 to "
            "64, or null");
  EXPECT_EQ(loadError(R"({"name": "x", "channels": [{"type": "Q", "close": ["close"],
                         "on_closed": {"shut": {"no_op": true}}}]})"),
            "m.json: channels[0].on_closed.shut: names no send, receive, close or cancel "
            "method of Q");
  EXPECT_EQ(loadError(R"({"name": "x", "channels": [{"type": "Q", "close": ["close"],
                         "on_closed": {"close": {"no_op": true, "hangs": true}}}]})"),
            "m.json: channels[0].on_closed.close: must have exactly one of \"throws\", "
            "\"returns\", \"hangs\", \"no_op\"");
  EXPECT_EQ(loadError(R"({"name": "x", "channels": [{"type": "Q", "close": ["close"],
                         "close_leaves_pending": ["close"]}]})"),
            "m.json: channels[0].close_leaves_pending[0]: names no send or receive "
            "method of Q");
  EXPECT_EQ(loadError(R"([1, 2])"), "m.json: (top level): must be an object");
  EXPECT_EQ(loadError(R"({"name": )").substr(0, 33), "m.json: parse error at line 1, co");
}

TEST(ApiIndex, BoostFiberChannelsOnTheRealHeaders) {
  auto AST = test::parse(R"(
    #include <boost/fiber/buffered_channel.hpp>
    boost::fibers::buffered_channel<int> ch(8);
  )");
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  clang::QualType T = findVar(*AST, "ch")->getType();
  EXPECT_EQ(Api.roleOf(T), TypeRole::Channel);
  EXPECT_EQ(Api.roleOfMember(T, "push"), MethodRole::Send);
  EXPECT_EQ(Api.roleOfMember(T, "try_push"), MethodRole::TrySend);
  EXPECT_EQ(Api.roleOfMember(T, "value_pop"), MethodRole::Recv);
  ASSERT_TRUE(Api.channelModel(T));
  EXPECT_TRUE(Api.channelModel(T)->ReceiverMayClose);
  EXPECT_EQ(Api.channelModel(T)->onClosed("close")->What, OnClosed::Kind::NoOp);
  EXPECT_EQ(Api.channelModel(T)->onClosed("push")->Value, "closed");
  EXPECT_FALSE(Api.isModelledApi(nullptr));
}

TEST(ApiIndex, FibersAreCooperativeAndSleepForBlocks) {
  auto AST = test::parse(R"(
    #include <boost/fiber/all.hpp>
    #include <thread>
    boost::fibers::fiber f;
    std::thread t;
  )");
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  clang::ASTContext &Ctx = AST->getASTContext();
  auto SpawnerOf = [&](llvm::StringRef Var) {
    return Api.spawnerForConstruction(findVar(*AST, Var)->getType());
  };
  ASSERT_TRUE(SpawnerOf("f"));
  ASSERT_TRUE(SpawnerOf("t"));
  EXPECT_TRUE(SpawnerOf("f")->Cooperative);
  EXPECT_FALSE(SpawnerOf("t")->Cooperative);
  auto ThisFiber = [&](llvm::StringRef Name) -> const clang::FunctionDecl * {
    for (const clang::Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (const auto *NS = llvm::dyn_cast<clang::NamespaceDecl>(D); NS && NS->getName() == "boost")
        for (const clang::Decl *In : NS->decls())
          if (const auto *TF = llvm::dyn_cast<clang::NamespaceDecl>(In);
              TF && TF->getName() == "this_fiber")
            for (const clang::Decl *F : TF->decls()) {
              const clang::FunctionDecl *FD = llvm::dyn_cast<clang::FunctionDecl>(F);
              if (const auto *FT = llvm::dyn_cast<clang::FunctionTemplateDecl>(F))
                FD = FT->getTemplatedDecl();
              if (FD && FD->getIdentifier() && FD->getName() == Name)
                return FD;
            }
    return nullptr;
  };
  ASSERT_TRUE(ThisFiber("sleep_for"));
  ASSERT_TRUE(ThisFiber("yield"));
  EXPECT_TRUE(Api.isBlockingLibraryCall(ThisFiber("sleep_for")));
  EXPECT_FALSE(Api.isBlockingLibraryCall(ThisFiber("yield")));
}

/// The first member call in F's body, depth first.
const clang::CXXMemberCallExpr *firstMemberCall(const clang::Stmt *S, llvm::StringRef Name) {
  if (!S)
    return nullptr;
  if (const auto *MC = llvm::dyn_cast<clang::CXXMemberCallExpr>(S))
    if (const auto *M = MC->getMethodDecl(); M && M->getIdentifier() && M->getName() == Name)
      return MC;
  for (const clang::Stmt *C : S->children())
    if (const auto *Found = firstMemberCall(C, Name))
      return Found;
  return nullptr;
}

TEST(ApiIndex, AsioChannelsOnTheRealHeaders) {
  auto AST = test::parse(R"(
    #include <boost/asio.hpp>
    #include <boost/asio/experimental/channel.hpp>
    #include <boost/asio/experimental/concurrent_channel.hpp>
    using ints = boost::asio::experimental::channel<void(boost::system::error_code, int)>;
    boost::asio::io_context ctx;
    ints ch(ctx, 4);
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code)> done(ctx);
    boost::asio::steady_timer timer(ctx);
    boost::system::error_code ec;
    void use() {
      ch.try_send(boost::system::error_code{}, 1);
      ch.cancel();
      auto r = boost::asio::redirect_error(boost::asio::use_awaitable, ec);
    }
  )");
  ASSERT_TRUE(AST);
  ApiIndex Api(ModelSet::builtin());
  clang::QualType T = findVar(*AST, "ch")->getType();
  EXPECT_EQ(Api.roleOf(T), TypeRole::Channel);
  EXPECT_EQ(Api.roleOfMember(T, "async_send"), MethodRole::Send);
  EXPECT_EQ(Api.roleOfMember(T, "async_receive"), MethodRole::Recv);
  EXPECT_EQ(Api.roleOfMember(T, "cancel"), MethodRole::Cancel);
  // The element is the completion signature's second parameter; a
  // signature with none has no element.
  EXPECT_EQ(Api.channelElementType(T).getAsString(), "int");
  EXPECT_TRUE(Api.channelElementType(findVar(*AST, "done")->getType()).isNull());
  EXPECT_EQ(Api.roleOf(findVar(*AST, "done")->getType()), TypeRole::Channel);
  const ChannelTypeModel *C = Api.channelModel(T);
  ASSERT_TRUE(C);
  EXPECT_EQ(C->CloseLeavesPending, Names{"async_send"});
  EXPECT_EQ(C->onClosed("close")->What, OnClosed::Kind::NoOp);
  EXPECT_EQ(C->onClosed("try_send")->Value, "false");
  // The capacity is the constructor's second argument.
  const auto *Init = llvm::cast<clang::VarDecl>(findVar(*AST, "ch"))->getInit();
  const clang::Expr *Capacity = Api.capacityArgument(Init->IgnoreImplicit());
  ASSERT_TRUE(Capacity);
  EXPECT_TRUE(llvm::isa<clang::IntegerLiteral>(Capacity->IgnoreImplicit()));
  // try_send is declared in a detail base class: the call's object decides.
  const clang::FunctionDecl *Use = nullptr;
  for (const clang::Decl *D : AST->getASTContext().getTranslationUnitDecl()->decls())
    if (const auto *F = llvm::dyn_cast<clang::FunctionDecl>(D); F && F->getIdentifier() && F->getName() == "use")
      Use = F;
  ASSERT_TRUE(Use);
  const clang::CXXMemberCallExpr *TrySend = firstMemberCall(Use->getBody(), "try_send");
  ASSERT_TRUE(TrySend);
  EXPECT_EQ(Api.roleOf(TrySend->getMethodDecl()), MethodRole::None);
  EXPECT_EQ(Api.roleOfCall(TrySend), MethodRole::TrySend);
  EXPECT_EQ(Api.onClosed(TrySend)->Value, "false");
  EXPECT_EQ(Api.roleOfCall(firstMemberCall(Use->getBody(), "cancel")), MethodRole::Cancel);
  // Timers re-armed by their completion; tokens that hand back the error.
  clang::QualType Timer = findVar(*AST, "timer")->getType();
  EXPECT_EQ(Api.roleOf(Timer), TypeRole::Timer);
  EXPECT_EQ(Api.roleOfMember(Timer, "async_wait"), MethodRole::TimerAsyncWait);
  EXPECT_EQ(Api.roleOfMember(Timer, "cancel"), MethodRole::TimerStop);
  const auto *Last = llvm::cast<clang::CompoundStmt>(Use->getBody())->body_back();
  const auto *R = llvm::cast<clang::VarDecl>(llvm::cast<clang::DeclStmt>(Last)->getSingleDecl());
  EXPECT_TRUE(Api.isErrorValueToken(R->getType()));
  EXPECT_FALSE(Api.isErrorValueToken(Timer));
}

TEST(ApiIndex, AUserModelMakesAnInHouseClassAChannel) {
  auto AST = test::parse(R"(
    template <class T> class Queue {
    public:
      bool put(T);
      void shut();
    };
    Queue<int> q;
  )");
  ASSERT_TRUE(AST);
  llvm::SmallString<128> Path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("queue", "json", Path));
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << R"({"name": "queue", "channels": [{"type": "Queue", "try_send": ["put"],
              "close": ["shut"], "on_closed": {"shut": {"no_op": true}}}]})";
  }
  auto Models = ModelSet::withFiles({Path.str().str()});
  llvm::sys::fs::remove(Path);
  ASSERT_TRUE(bool(Models)) << llvm::toString(Models.takeError());
  ApiIndex Api(*Models);
  clang::QualType T = findVar(*AST, "q")->getType();
  EXPECT_EQ(Api.roleOf(T), TypeRole::Channel);
  EXPECT_EQ(Api.roleOfMember(T, "shut"), MethodRole::Close);
  // The class's own code is the library's: modelled, not analysed.
  const clang::CXXMethodDecl *Put = findMethod(*AST, "Queue", "put");
  ASSERT_TRUE(Put);
  EXPECT_TRUE(Api.isLibraryDecl(Put));
  EXPECT_TRUE(Api.isModelledApi(Put));
  // Without the file the class is user code.
  ApiIndex Builtin(ModelSet::builtin());
  EXPECT_EQ(Builtin.roleOf(T), TypeRole::None);
  EXPECT_FALSE(Builtin.isLibraryDecl(Put));
  // The fingerprint holds the content.
  EXPECT_NE(Models->fingerprint(), ModelSet::builtin().fingerprint());
}

} // namespace
} // namespace chanlint
