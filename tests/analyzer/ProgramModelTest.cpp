#include "AnalyzerTestSupport.h"

#include "gtest/gtest.h"

namespace chanlint {
namespace {

using test::findingsOf;
using test::parse;

TEST(ProgramModel, ACoroutineHandedToCoSpawnIsATask) {
  auto AST = parse(R"(
#include <boost/asio.hpp>
#include <boost/asio/experimental/channel.hpp>
using namespace boost::asio;
using ints = experimental::channel<void(boost::system::error_code, int)>;
awaitable<void> produce(ints &ch) {
  for (int i = 0; i < 3; ++i) co_await ch.async_send(boost::system::error_code{}, i, use_awaitable);
}
awaitable<void> spawned(ints &ch) {
  co_spawn(co_await this_coro::executor, produce(ch), detached);
  ch.close();
}
awaitable<void> awaited(ints &ch) {
  co_await produce(ch);
  ch.close();
}
)");
  ASSERT_TRUE(AST);
  // co_spawn runs produce() as a task that may wait in async_send at the
  // close; awaited, it runs in place and has finished by then.
  EXPECT_EQ(findingsOf(*AST),
            std::vector<std::string>({"close-with-pending-sends:11:3"}));
}

TEST(ProgramModel, HelperSendsCountAtTheCallSite) {
  auto AST = parse(R"(
void produce(chan::SendChan<int> out) { out.send(1); out.send(2); }
void run() {
  chan::Chan<int> ch;
  chan::go([ch] { produce(ch); });
  (void)ch.recv();
  ch.close();
}
)");
  ASSERT_TRUE(AST);
  std::vector<std::string> F = findingsOf(*AST);
  // The close races with the helper's sends (line numbers from the snippet).
  EXPECT_NE(std::find(F.begin(), F.end(), "receiver-close:7:3"), F.end()) << ::testing::PrintToString(F);
}

TEST(ProgramModel, WaitingBeforeTheCloseOrdersIt) {
  auto AST = parse(R"(
void run(int n) {
  chan::Chan<int> ch(n);
  chan::WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    chan::go([=] { chan::Defer d([=] { wg.done(); }); ch.send(i); });
  }
  wg.wait();
  ch.close();
}
void early(int n) {
  chan::Chan<int> ch(n);
  chan::WaitGroup wg;
  for (int i = 0; i < n; ++i) {
    wg.add(1);
    chan::go([=] { chan::Defer d([=] { wg.done(); }); ch.send(i); });
  }
  ch.close();
  wg.wait();
}
)");
  ASSERT_TRUE(AST);
  // Only early() races. Its close also breaks the tasks' sends, which are
  // that finding's notes (chan-unguarded-send leaves the race to it).
  EXPECT_EQ(findingsOf(*AST), std::vector<std::string>({"receiver-close:19:3"}));
}

TEST(ProgramModel, ATemplateReportsOncePerSite) {
  auto AST = parse(R"(
template <typename T> void drain(chan::Chan<T> ch, T v) {
  chan::go([ch, v] { ch.send(v); ch.send(v); });
  (void)ch.recv();
  ch.close();
}
void use() {
  drain(chan::Chan<int>(), 1);
  drain(chan::Chan<long>(), 2L);
  drain(chan::Chan<char>(), 'c');
}
)");
  ASSERT_TRUE(AST);
  // The sends race only with the receiver's close: one finding, the close's.
  EXPECT_EQ(findingsOf(*AST), std::vector<std::string>({"receiver-close:5:3"}));
}

TEST(ProgramModel, MembersAreSharedAcrossMethods) {
  auto AST = parse(R"(
class Feed {
public:
  void start() { chan::go([this] { for (;;) ch_.send(1); }); }
  void stop() { ch_.close(); }
private:
  chan::Chan<int> ch_;
};
)");
  ASSERT_TRUE(AST);
  std::vector<std::string> F = findingsOf(*AST);
  EXPECT_NE(std::find(F.begin(), F.end(), "receiver-close:5:17"), F.end()) << ::testing::PrintToString(F);
}

} // namespace
} // namespace chanlint

namespace chanlint {
namespace {

TEST(ProgramModel, EachCallableStoredInAContainerIsATask) {
  auto AST = parse(R"(
#include <functional>
#include <vector>
void run(chan::Chan<int> out) {
  std::vector<std::function<void()>> fs;
  fs.push_back([out] { out.send(1); out.close(); });
  fs.push_back([out] { out.send(2); });
  for (auto &f : fs)
    chan::go(f);
}
void once(chan::Chan<int> out) {
  std::vector<std::function<void()>> fs{[out] { out.send(1); out.close(); }};
  for (auto &f : fs)
    chan::go(f);
}
)");
  ASSERT_TRUE(AST);
  AnalysisConfig Only;
  Only.Enabled = {checkNamed("chan-multi-sender-close")};
  // run(): the close races with the other stored sender; once(): the only
  // sender, started once, closes.
  EXPECT_EQ(findingsOf(*AST, Only),
            std::vector<std::string>({"multi-sender-close:6:37"}));
}

} // namespace
} // namespace chanlint
