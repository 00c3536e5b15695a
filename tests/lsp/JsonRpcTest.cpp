#include "JsonRpc.h"

#include <gtest/gtest.h>

#include <vector>

using namespace chanlint::lsp;

namespace {

class JsonRpcTest : public ::testing::Test {
protected:
  JsonRpcTest() : D([this](const json &M) { Sent.push_back(M); }) {
    D.onRequest("echo", [](const json &P) { return P.at("value"); });
    D.onRequest("fails", [](const json &) -> json { throw RpcError(RequestFailed, "no"); });
    D.onRequest("throws", [](const json &) -> json { throw std::runtime_error("boom"); });
    D.onNotification("note", [this](const json &P) { Notes.push_back(P); });
    D.onNotification("bad-note", [](const json &P) { (void)P.at("missing"); });
  }

  int errorCode(size_t I = 0) const { return Sent.at(I).at("error").at("code").get<int>(); }

  std::vector<json> Sent;
  std::vector<json> Notes;
  JsonRpcDispatcher D;
};

TEST_F(JsonRpcTest, RequestGetsItsResultWithItsId) {
  D.dispatch(R"({"jsonrpc":"2.0","id":"a-1","method":"echo","params":{"value":[1]}})");
  ASSERT_EQ(Sent.size(), 1u);
  EXPECT_EQ(Sent[0], json::parse(R"({"jsonrpc":"2.0","id":"a-1","result":[1]})"));
}

TEST_F(JsonRpcTest, MalformedJsonIsAParseErrorWithNullId) {
  D.dispatch(R"({"jsonrpc":"2.0","id":1,"method":)");
  ASSERT_EQ(Sent.size(), 1u);
  EXPECT_EQ(errorCode(), ParseError);
  EXPECT_TRUE(Sent[0].at("id").is_null());
}

TEST_F(JsonRpcTest, InvalidRequests) {
  for (const char *Body : {
           R"([{"jsonrpc":"2.0","id":1,"method":"echo"}])", // a batch
           R"(42)",
           R"({"id":1,"method":"echo"})",                    // no jsonrpc
           R"({"jsonrpc":"1.0","id":1,"method":"echo"})",
           R"({"jsonrpc":"2.0","id":1,"method":7})",
           R"({"jsonrpc":"2.0","id":1})",
           R"({"jsonrpc":"2.0","id":{"x":1},"method":"echo"})",
           R"({"jsonrpc":"2.0","id":1,"method":"echo","params":3})",
       }) {
    Sent.clear();
    D.dispatch(Body);
    ASSERT_EQ(Sent.size(), 1u) << Body;
    EXPECT_EQ(errorCode(), InvalidRequest) << Body;
  }
}

TEST_F(JsonRpcTest, UnknownRequestIsMethodNotFound) {
  D.dispatch(R"({"jsonrpc":"2.0","id":3,"method":"workspace/symbol"})");
  D.dispatch(R"({"jsonrpc":"2.0","id":4,"method":"$/unknown"})");
  ASSERT_EQ(Sent.size(), 2u);
  EXPECT_EQ(errorCode(0), MethodNotFound);
  EXPECT_EQ(errorCode(1), MethodNotFound);
  EXPECT_EQ(Sent[1].at("id"), 4);
}

TEST_F(JsonRpcTest, UnknownNotificationsAreIgnored) {
  D.dispatch(R"({"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1}})");
  D.dispatch(R"({"jsonrpc":"2.0","method":"workspace/didChangeConfiguration"})");
  EXPECT_TRUE(Sent.empty());
}

TEST_F(JsonRpcTest, NotificationsGetNoResponseEvenWhenTheyFail) {
  D.dispatch(R"({"jsonrpc":"2.0","method":"note","params":{"k":1}})");
  D.dispatch(R"({"jsonrpc":"2.0","method":"bad-note","params":{}})");
  D.dispatch(R"({"jsonrpc":"2.0","method":"note","params":"not structured"})");
  EXPECT_TRUE(Sent.empty());
  ASSERT_EQ(Notes.size(), 1u);
  EXPECT_EQ(Notes[0], json::parse(R"({"k":1})"));
}

TEST_F(JsonRpcTest, ResponsesFromTheClientAreNotAnswered) {
  D.dispatch(R"({"jsonrpc":"2.0","id":9,"result":null})");
  D.dispatch(R"({"jsonrpc":"2.0","id":9,"error":{"code":1,"message":"x"}})");
  EXPECT_TRUE(Sent.empty());
}

TEST_F(JsonRpcTest, HandlerErrors) {
  D.dispatch(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":{}})");
  D.dispatch(R"({"jsonrpc":"2.0","id":2,"method":"fails"})");
  D.dispatch(R"({"jsonrpc":"2.0","id":3,"method":"throws"})");
  ASSERT_EQ(Sent.size(), 3u);
  EXPECT_EQ(errorCode(0), InvalidParams);
  EXPECT_EQ(errorCode(1), RequestFailed);
  EXPECT_EQ(Sent[1].at("error").at("message"), "no");
  EXPECT_EQ(errorCode(2), InternalError);
}

TEST_F(JsonRpcTest, TheGateAnswersInsteadOfTheHandler) {
  D.setRequestGate([](const std::string &Method) -> std::optional<RpcError> {
    if (Method == "echo")
      return RpcError(ServerNotInitialized, "not yet");
    return std::nullopt;
  });
  D.dispatch(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":{"value":1}})");
  D.dispatch(R"({"jsonrpc":"2.0","id":2,"method":"nope"})");
  ASSERT_EQ(Sent.size(), 2u);
  EXPECT_EQ(errorCode(0), ServerNotInitialized);
  EXPECT_EQ(errorCode(1), MethodNotFound);
}

} // namespace
