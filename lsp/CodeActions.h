// textDocument/codeAction: each fix-it of a published diagnostic that
// touches the requested range, as a "quickfix" CodeAction whose
// WorkspaceEdit (`changes`, keyed by URI) holds the fix-it's edits in
// UTF-16 positions, and which names the diagnostic it fixes.
#pragma once

#include "DiagnosticConversion.h"
#include "Protocol.h"

#include <string>
#include <string_view>
#include <vector>

namespace chanlint::lsp {

/// Diagnostics must be those published for the document's current text
/// (Text), whose path is Path and URI Uri. A diagnostic touches Requested
/// if its range or one of its fix-it's edits (in this document) does.
/// Only: the client's context.only kinds; empty for any.
json codeActionsFor(const std::vector<PublishedDiagnostic> &Diagnostics,
                    const LspRange &Requested, const std::string &Uri,
                    const std::string &Path, std::string_view Text,
                    const std::vector<std::string> &Only);

} // namespace chanlint::lsp
