// textDocument/codeAction: quick fixes for published diagnostics, each a
// "quickfix" CodeAction whose WorkspaceEdit (`changes`, keyed by URI) holds
// the fix-it's edits in UTF-16 positions, and which names the diagnostic it
// fixes.
//
// A diagnostic gets its fix offered when the client names it in
// context.diagnostics (as clangd does: editors send the diagnostics of the
// cursor's line, so the fix is found anywhere on that line), or when its
// range or one of its fix-it's edits touches the requested range.
#pragma once

#include "DiagnosticConversion.h"
#include "Protocol.h"

#include <string>
#include <string_view>
#include <vector>

namespace chanlint::lsp {

/// What a CodeActionParams asks.
struct CodeActionRequest {
  LspRange Range;
  /// context.diagnostics: the client's copies of diagnostics, ours among
  /// them or not (a client may send every server's).
  std::vector<json> Diagnostics;
  /// context.only: the kinds wanted; empty for any.
  std::vector<std::string> Only;
};

/// Reads range and context of a CodeActionParams. Throws json::exception
/// when they have the wrong shape (the dispatcher answers InvalidParams).
CodeActionRequest codeActionRequestFromJson(const json &Params);

/// Diagnostics must be those published for the document's current text
/// (Text), whose path is Path and URI Uri.
json codeActionsFor(const std::vector<PublishedDiagnostic> &Diagnostics,
                    const CodeActionRequest &Request, const std::string &Uri,
                    const std::string &Path, std::string_view Text);

} // namespace chanlint::lsp
