// file:// URIs <-> absolute paths (RFC 8089 as editors send them: an empty
// or "localhost" authority, percent-encoded bytes).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chanlint::lsp {

/// The path of a file URI; nullopt for other schemes (untitled:, ...) or
/// a malformed URI.
std::optional<std::string> pathFromFileUri(std::string_view Uri);

/// file:///... with the bytes outside RFC 3986's unreserved set and "/"
/// percent-encoded.
std::string fileUriFromPath(std::string_view Path);

} // namespace chanlint::lsp
