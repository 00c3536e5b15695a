// JSON-RPC 2.0 as LSP uses it: parses a message body, tells requests (an
// id and a method), notifications (a method, no id) and responses apart,
// and calls the handler registered for the method. Whatever the client
// sends, a request gets exactly one response:
//   body not JSON                      -> ParseError (-32700), id null
//   not a request object               -> InvalidRequest (-32600)
//   no handler for the request         -> MethodNotFound (-32601)
//   params of the wrong shape          -> InvalidParams (-32602)
//   the gate refuses (lifecycle)       -> the gate's error
//   the handler throws RpcError        -> that error
// Notifications never get a response; unknown ones (including `$/...`)
// are ignored, as the protocol asks.
#pragma once

#include "Protocol.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace chanlint::lsp {

class JsonRpcDispatcher {
public:
  using RequestHandler = std::function<json(const json &Params)>;
  using NotificationHandler = std::function<void(const json &Params)>;
  /// Sends one message (a response) to the client.
  using Sender = std::function<void(const json &Message)>;
  /// Consulted before a request's handler runs: an error to answer with
  /// instead (e.g. ServerNotInitialized), or nullopt to go ahead.
  using RequestGate = std::function<std::optional<RpcError>(const std::string &Method)>;

  explicit JsonRpcDispatcher(Sender Send) : Send(std::move(Send)) {}

  void onRequest(const std::string &Method, RequestHandler Handler);
  void onNotification(const std::string &Method, NotificationHandler Handler);
  void setRequestGate(RequestGate Gate) { this->Gate = std::move(Gate); }

  /// Handles one message body.
  void dispatch(std::string_view Body);

  static json errorResponse(const json &Id, int Code, const std::string &Message);
  static json resultResponse(const json &Id, json Result);
  static json notification(const std::string &Method, json Params);

private:
  void handleRequest(const json &Id, const std::string &Method, const json &Params);
  void handleNotification(const std::string &Method, const json &Params);

  Sender Send;
  RequestGate Gate;
  std::map<std::string, RequestHandler, std::less<>> Requests;
  std::map<std::string, NotificationHandler, std::less<>> Notifications;
};

} // namespace chanlint::lsp
