// The server's own log, on stderr (stdout carries the protocol). Editors
// show it in their language-server log. Thread-safe: whole lines only.
#pragma once

#include <string_view>

namespace chanlint::lsp {

void logLine(std::string_view Line);

} // namespace chanlint::lsp
