// LSP positions (line, UTF-16 code unit) in UTF-8 text, and the
// incremental changes of textDocument/didChange applied with them.
//
// Lines end at '\n' or "\r\n" (a lone '\r' does not end a line), and a
// UTF-8 sequence is measured by its lead byte, with invalid bytes counting
// as one unit: exactly how the driver measures the positions it reports
// (driver/SourceText.h), so that what the server sends and what it
// receives agree.
#pragma once

#include "Protocol.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace chanlint::lsp {

/// The byte offset of P in Text. As the protocol asks, a character past
/// the end of its line means the end of the line, and a line past the end
/// of the text means the end of the text. A position inside a surrogate
/// pair moves back to the start of the character.
std::size_t byteOffset(std::string_view Text, LspPosition P);

/// One TextDocumentContentChangeEvent: replaces Range (or, without one,
/// the whole text) with NewText.
void applyChange(std::string &Text, const std::optional<LspRange> &Range,
                 std::string_view NewText);

} // namespace chanlint::lsp
