// The syntactic pre-test that spares the IR of bodies touching no channel
// (ChannelTouch): what touches, what does not, and the promise the analysis
// relies on: a body it rejects has no op but calls of other rejected
// bodies, no alias fact and no tracked return type.
#include "AnalyzerTestSupport.h"

#include "ChannelTouch.h"
#include "FunctionIR.h"

#include "clang/AST/RecursiveASTVisitor.h"

#include "gtest/gtest.h"

#include <fstream>
#include <sstream>

namespace chanlint {
namespace {

using namespace clang;

/// Every function definition of the snippet's own code, instantiations of
/// templates and lambda call operators included.
class Definitions : public RecursiveASTVisitor<Definitions> {
public:
  explicit Definitions(ASTContext &Ctx, const OpRecognizer &R) {
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (Ctx.getSourceManager().isInMainFile(D->getLocation()))
        TraverseDecl(D);
    llvm::erase_if(All, [&](const FunctionDecl *F) { return !R.isUserFunction(F); });
  }
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBodies() const { return true; }
  bool VisitFunctionDecl(FunctionDecl *F) {
    if (F->doesThisDeclarationHaveABody())
      All.push_back(F);
    return true;
  }
  std::vector<const FunctionDecl *> All;
};

class Touch : public test::Snippet {
public:
  explicit Touch(const std::string &Code) : Snippet(Code) {
    if (!parsed())
      return;
    Defs = std::make_unique<Definitions>(AST->getASTContext(), *Recognizer);
    Pretest = std::make_unique<ChannelTouch>(*Recognizer);
  }

  /// The definition named Name (qualified, without template arguments);
  /// for a function template, the instantiation whose first template
  /// argument is spelled Arg.
  const FunctionDecl *fn(llvm::StringRef Name, llvm::StringRef Arg = "") const {
    std::string Seen;
    PrintingPolicy Policy = AST->getASTContext().getPrintingPolicy();
    Policy.SuppressTagKeyword = true;
    for (const FunctionDecl *F : Defs->All) {
      if (F->getQualifiedNameAsString() != Name)
        continue;
      if (Arg.empty())
        return F;
      const TemplateArgumentList *Args = F->getTemplateSpecializationArgs();
      std::string Spelled = Args && Args->size() > 0 &&
                                    Args->get(0).getKind() == TemplateArgument::Type
                                ? Args->get(0).getAsType().getAsString(Policy)
                                : "";
      if (Spelled == Arg)
        return F;
      Seen += " <" + Spelled + ">";
    }
    ADD_FAILURE() << "no definition of " << Name.str() << " <" << Arg.str()
                  << ">, only" << Seen;
    return nullptr;
  }
  bool touches(llvm::StringRef Name, llvm::StringRef Arg = "") {
    const FunctionDecl *F = fn(Name, Arg);
    return F && Pretest->touches(F);
  }

  /// The promise, checked on every body of the snippet: a rejected body's
  /// IR has only calls of rejected bodies, no fact, and its return type is
  /// not tracked (so IRCache::relevant would say no, after building it).
  /// Returns the number of rejected bodies.
  unsigned expectRejectedBodiesHaveNoOps() {
    unsigned Rejected = 0;
    for (const FunctionDecl *F : Defs->All) {
      if (Pretest->touches(F))
        continue;
      ++Rejected;
      std::string Name = F->getQualifiedNameAsString();
      EXPECT_FALSE(Api->isTracked(F->getReturnType())) << Name;
      std::unique_ptr<FunctionIR> IR = FunctionIR::build(F, *Recognizer);
      if (!IR)
        continue;
      EXPECT_TRUE(IR->facts().empty()) << Name;
      IR->forEachOp([&](const Op &O, OpLocation) {
        EXPECT_EQ(O.Kind, OpKind::Call) << Name << " at line " << line(O.Site);
        if (O.Target.valid())
          EXPECT_FALSE(Pretest->touches(O.Target.Body))
              << Name << " calls " << O.Target.Body->getQualifiedNameAsString();
      });
    }
    return Rejected;
  }

private:
  std::unique_ptr<Definitions> Defs;
  std::unique_ptr<ChannelTouch> Pretest;
};

TEST(ChannelTouch, AStructHoldingAChannelTouchesThroughItsMember) {
  Touch T(R"(
struct Pipe { chan::Chan<int> ch; int n = 0; };
struct Nested { Pipe p; };
struct Plain { int n = 0; };
void closeIt(Pipe &p) { p.ch.close(); }
int count(const Nested &s) { return s.p.n; }
int plain(const Plain &p) { return p.n; }
class Service {
public:
  void stop() { ch_.close(); }
  int pending() const { return n_; }   // uses `this`, not the channel
private:
  chan::Chan<int> ch_;
  int n_ = 0;
};
)");
  ASSERT_TRUE(T.parsed());
  EXPECT_TRUE(T.touches("closeIt"));
  EXPECT_TRUE(T.touches("count")); // names a type holding a channel
  EXPECT_FALSE(T.touches("plain"));
  EXPECT_TRUE(T.touches("Service::stop"));
  EXPECT_FALSE(T.touches("Service::pending"));
  EXPECT_EQ(T.expectRejectedBodiesHaveNoOps(), 2u);
}

TEST(ChannelTouch, AliasesAndTypedefsAreSeenThrough) {
  Touch T(R"(
using Jobs = chan::Chan<int>;
typedef Jobs Queue;
template <typename V> using Box = chan::Chan<V>;
struct Holder { Queue q; };
void send(Queue &q) { q.send(1); }
void hold(Holder *h) { (void)h; }
int box() { Box<long> b(1); return 0; }
using Count = int;
Count twice(Count c) { return 2 * c; }
)");
  ASSERT_TRUE(T.parsed());
  EXPECT_TRUE(T.touches("send"));
  EXPECT_TRUE(T.touches("hold")); // a pointer to a holder
  EXPECT_TRUE(T.touches("box"));
  EXPECT_FALSE(T.touches("twice"));
  EXPECT_EQ(T.expectRejectedBodiesHaveNoOps(), 1u);
}

TEST(ChannelTouch, EachTemplateInstantiationIsDecidedOnItsOwn) {
  Touch T(R"(
struct Door { void close() {} };
template <typename C> void shut(C &c) { c.close(); }
template <typename T> struct Slot { T value; };
template <typename T> int peek(const Slot<T> &s) { return sizeof(s); }
void use() {
  Door d;
  shut(d);
  Slot<int> a;
  Slot<chan::Chan<int>> b;
  peek(a);
  peek(b);
}
void doors() { Door d; shut(d); }
void chans() { chan::Chan<int> ch; shut(ch); }
)");
  ASSERT_TRUE(T.parsed());
  EXPECT_TRUE(T.touches("shut", "chan::Chan<int>"));
  EXPECT_FALSE(T.touches("shut", "Door"));
  EXPECT_TRUE(T.touches("peek", "chan::Chan<int>"));
  EXPECT_FALSE(T.touches("peek", "int"));
  EXPECT_FALSE(T.touches("doors"));
  EXPECT_TRUE(T.touches("chans"));
  T.expectRejectedBodiesHaveNoOps();
}

TEST(ChannelTouch, HelperChainsAndCyclesAreFollowed) {
  Touch T(R"(
chan::Chan<int> jobs;
void leaf() { jobs.close(); }
void mid() { leaf(); }
void top() { mid(); }
int compute(int n) { return n * n; }
void other() { compute(2); }
// A cycle that reaches the channel only after it closes on itself.
void ping(int n);
void pong(int n) { if (n) ping(n - 1); }
void ping(int n) { pong(n); leaf(); }
// A cycle that never does.
void tick(int n);
void tock(int n) { if (n) tick(n - 1); }
void tick(int n) { if (n) tock(n - 1); }
// A destructor and a constructor run user code too.
struct Closer { ~Closer() { jobs.close(); } };
struct Starter { Starter() { mid(); } };
void scoped() { Closer c; }
void made() { Starter s; }
void caught() { try { throw 1; } catch (Closer c) {} }
)");
  ASSERT_TRUE(T.parsed());
  // Asked from the end of the chain and the start of the cycle first: the
  // memo must not keep a guess made while the cycle was open.
  EXPECT_TRUE(T.touches("ping"));
  EXPECT_TRUE(T.touches("pong"));
  EXPECT_TRUE(T.touches("top"));
  EXPECT_TRUE(T.touches("mid"));
  EXPECT_FALSE(T.touches("other"));
  EXPECT_FALSE(T.touches("tock"));
  EXPECT_FALSE(T.touches("tick"));
  EXPECT_TRUE(T.touches("scoped"));
  EXPECT_TRUE(T.touches("made"));
  EXPECT_TRUE(T.touches("caught")); // the handler's parameter is destroyed
  EXPECT_EQ(T.expectRejectedBodiesHaveNoOps(), 4u); // compute, other, tick, tock
}

TEST(ChannelTouch, ALambdaTouchesForTheFunctionThatHoldsIt) {
  Touch T(R"(
#include <functional>
chan::Chan<int> jobs;
void holds() { auto f = [] { jobs.close(); }; (void)f; }
void stores(std::function<void()> &out) { out = [] { jobs.send(1); }; }
void generic() { auto g = [](auto n) { jobs.send(n); }; g(1); }
void captures(int n) { auto h = [n] { return n + 1; }; h(); }
void starts() { std::thread t([] {}); t.join(); }
)");
  ASSERT_TRUE(T.parsed());
  EXPECT_TRUE(T.touches("holds"));
  EXPECT_TRUE(T.touches("stores"));
  EXPECT_TRUE(T.touches("generic"));
  EXPECT_FALSE(T.touches("captures"));
  EXPECT_TRUE(T.touches("starts")); // a thread is a tracked type
  T.expectRejectedBodiesHaveNoOps();
}

TEST(ChannelTouch, CodeWithoutChannelsTouchesNothing) {
  Touch T(R"(
#include <map>
#include <string>
#include <vector>
struct Point { double x, y; };
std::string join(const std::vector<std::string> &parts) {
  std::string out;
  for (const auto &p : parts) out += p;
  return out;
}
double norm(Point p) { return p.x * p.x + p.y * p.y; }
int main() {
  std::map<std::string, Point> m{{"a", {1, 2}}};
  return static_cast<int>(norm(m["a"])) + static_cast<int>(join({"x"}).size());
}
)");
  ASSERT_TRUE(T.parsed());
  EXPECT_FALSE(T.touches("join"));
  EXPECT_FALSE(T.touches("norm"));
  EXPECT_FALSE(T.touches("main"));
  EXPECT_EQ(T.expectRejectedBodiesHaveNoOps(), 3u);
}

TEST(ChannelTouch, ConstructorInitializersTouch) {
  Touch T(R"(
struct Explicit { Explicit() : ch_(4) {} chan::Chan<int> ch_; };
struct ByDefault { ByDefault() {} chan::Chan<int> ch_{4}; };
struct Counter { Counter() : n_(0) {} int n_; };
)");
  ASSERT_TRUE(T.parsed());
  EXPECT_TRUE(T.touches("Explicit::Explicit"));
  EXPECT_TRUE(T.touches("ByDefault::ByDefault"));
  EXPECT_FALSE(T.touches("Counter::Counter"));
  T.expectRejectedBodiesHaveNoOps();
}

std::string readFixture(const std::string &Path) {
  std::ifstream In(std::string(CHAN_INCLUDE_DIR) + "/../../fixtures/" + Path);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

/// The promise on real programs: fixtures with helpers, members, wrappers,
/// templates, lambdas stored in containers, std::thread and std::function.
TEST(ChannelTouch, RejectedBodiesOfFixturesHaveNoOps) {
  for (const char *Path : {"realistic/b17_mailbox_wrapper_close.cpp",
                           "realistic/b22_std_function_job.cpp",
                           "realistic/b37_template_queue_close.cpp",
                           "realistic/b45_run_async_std_function.cpp",
                           "chan-multi-sender-close/tasks-in-containers.cpp",
                           "realistic/b13_group_member_scan.cpp",
                           "graceful/tickers-stopped.cpp"}) {
    std::string Code = readFixture(Path);
    ASSERT_FALSE(Code.empty()) << Path;
    Touch T(Code);
    ASSERT_TRUE(T.parsed()) << Path;
    SCOPED_TRACE(Path);
    T.expectRejectedBodiesHaveNoOps();
  }
}

} // namespace
} // namespace chanlint
