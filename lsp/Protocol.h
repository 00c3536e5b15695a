// The pieces of the Language Server Protocol that several parts of the
// server share: JSON-RPC error codes, positions and ranges (0-based lines,
// UTF-16 columns, as LSP's default position encoding), and their JSON form.
#pragma once

#include <nlohmann/json.hpp>

#include <compare>
#include <stdexcept>
#include <string>

namespace chanlint::lsp {

using json = nlohmann::json;

/// JSON-RPC 2.0 and LSP error codes.
enum ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  RequestFailed = -32803,
};

/// Thrown by a request handler: the error the client gets as the response.
class RpcError : public std::runtime_error {
public:
  RpcError(int Code, const std::string &Message) : std::runtime_error(Message), Code(Code) {}
  int code() const { return Code; }

private:
  int Code;
};

/// A place in a text document: 0-based line, 0-based UTF-16 code unit.
struct LspPosition {
  unsigned Line = 0;
  unsigned Character = 0;

  friend auto operator<=>(const LspPosition &, const LspPosition &) = default;
};

/// [Start, End) in one document.
struct LspRange {
  LspPosition Start;
  LspPosition End;

  friend bool operator==(const LspRange &, const LspRange &) = default;
  /// Overlap with the ends included: an empty range (a cursor) at either
  /// end of a diagnostic touches it.
  bool touches(const LspRange &Other) const {
    return !(End < Other.Start) && !(Other.End < Start);
  }
};

json toJson(const LspPosition &P);
json toJson(const LspRange &R);
/// Throws json::exception when the shape is wrong (the dispatcher turns it
/// into InvalidParams).
LspPosition positionFromJson(const json &J);
LspRange rangeFromJson(const json &J);

/// LSP's DiagnosticSeverity.
enum class Severity : int { Error = 1, Warning = 2, Information = 3, Hint = 4 };

} // namespace chanlint::lsp
