#include "JsonRpc.h"

#include "Log.h"

namespace chanlint::lsp {

void JsonRpcDispatcher::onRequest(const std::string &Method, RequestHandler Handler) {
  Requests[Method] = std::move(Handler);
}

void JsonRpcDispatcher::onNotification(const std::string &Method, NotificationHandler Handler) {
  Notifications[Method] = std::move(Handler);
}

json JsonRpcDispatcher::errorResponse(const json &Id, int Code, const std::string &Message) {
  return {{"jsonrpc", "2.0"}, {"id", Id}, {"error", {{"code", Code}, {"message", Message}}}};
}

json JsonRpcDispatcher::resultResponse(const json &Id, json Result) {
  return {{"jsonrpc", "2.0"}, {"id", Id}, {"result", std::move(Result)}};
}

json JsonRpcDispatcher::notification(const std::string &Method, json Params) {
  return {{"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}};
}

void JsonRpcDispatcher::dispatch(std::string_view Body) {
  json Message = json::parse(Body, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (Message.is_discarded()) {
    Send(errorResponse(nullptr, ParseError, "Parse error: the message is not valid JSON"));
    return;
  }
  if (!Message.is_object()) {
    // Includes JSON-RPC batches: LSP never sends them.
    Send(errorResponse(nullptr, InvalidRequest, "Invalid Request: expected a JSON object"));
    return;
  }

  json Id = nullptr;
  auto IdIt = Message.find("id");
  bool HasId = IdIt != Message.end();
  if (HasId) {
    if (!IdIt->is_number_integer() && !IdIt->is_string()) {
      Send(errorResponse(nullptr, InvalidRequest,
                         "Invalid Request: id must be an integer or a string"));
      return;
    }
    Id = *IdIt;
  }

  auto Version = Message.find("jsonrpc");
  if (Version == Message.end() || *Version != "2.0") {
    Send(errorResponse(Id, InvalidRequest, "Invalid Request: jsonrpc must be \"2.0\""));
    return;
  }

  auto Method = Message.find("method");
  if (Method == Message.end()) {
    if (HasId && (Message.contains("result") || Message.contains("error")))
      return; // a response; the server sends no requests that wait for one
    Send(errorResponse(Id, InvalidRequest, "Invalid Request: no method"));
    return;
  }
  if (!Method->is_string()) {
    Send(errorResponse(Id, InvalidRequest, "Invalid Request: method must be a string"));
    return;
  }

  json Params = nullptr;
  if (auto P = Message.find("params"); P != Message.end()) {
    if (!P->is_object() && !P->is_array()) {
      if (HasId)
        Send(errorResponse(Id, InvalidRequest,
                           "Invalid Request: params must be an object or an array"));
      else
        logLine("ignored notification " + Method->get<std::string>() +
                ": params is neither an object nor an array");
      return;
    }
    Params = *P;
  }

  if (HasId)
    handleRequest(Id, Method->get<std::string>(), Params);
  else
    handleNotification(Method->get<std::string>(), Params);
}

void JsonRpcDispatcher::handleRequest(const json &Id, const std::string &Method,
                                      const json &Params) {
  if (Gate)
    if (std::optional<RpcError> Refused = Gate(Method)) {
      Send(errorResponse(Id, Refused->code(), Refused->what()));
      return;
    }
  auto Handler = Requests.find(Method);
  if (Handler == Requests.end()) {
    Send(errorResponse(Id, MethodNotFound, "Method not found: " + Method));
    return;
  }
  try {
    Send(resultResponse(Id, Handler->second(Params)));
  } catch (const RpcError &E) {
    Send(errorResponse(Id, E.code(), E.what()));
  } catch (const json::exception &E) {
    Send(errorResponse(Id, InvalidParams, std::string("Invalid params: ") + E.what()));
  } catch (const std::exception &E) {
    Send(errorResponse(Id, InternalError, std::string("Internal error: ") + E.what()));
  }
}

void JsonRpcDispatcher::handleNotification(const std::string &Method, const json &Params) {
  auto Handler = Notifications.find(Method);
  if (Handler == Notifications.end())
    return; // unknown notifications, `$/...` ones included, are ignored
  try {
    Handler->second(Params);
  } catch (const std::exception &E) {
    logLine("ignored notification " + Method + ": " + E.what());
  }
}

} // namespace chanlint::lsp
