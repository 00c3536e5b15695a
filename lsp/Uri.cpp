#include "Uri.h"

#include "llvm/ADT/StringRef.h"

#include <cctype>

namespace chanlint::lsp {

namespace {

int hexValue(char C) {
  if (C >= '0' && C <= '9')
    return C - '0';
  if (C >= 'a' && C <= 'f')
    return C - 'a' + 10;
  if (C >= 'A' && C <= 'F')
    return C - 'A' + 10;
  return -1;
}

bool isUnreserved(unsigned char C) {
  return std::isalnum(C) || C == '-' || C == '.' || C == '_' || C == '~';
}

} // namespace

std::optional<std::string> pathFromFileUri(std::string_view Uri) {
  constexpr std::string_view Scheme = "file://";
  if (!llvm::StringRef(Uri).starts_with_insensitive(Scheme))
    return std::nullopt;
  Uri.remove_prefix(Scheme.size());
  std::size_t Slash = Uri.find('/');
  if (Slash == std::string_view::npos)
    return std::nullopt;
  std::string_view Authority = Uri.substr(0, Slash);
  if (!Authority.empty() && Authority != "localhost")
    return std::nullopt; // a file on another host is not ours to read
  std::string_view Encoded = Uri.substr(Slash);
  // A query or fragment is not part of the path.
  Encoded = Encoded.substr(0, Encoded.find_first_of("?#"));
  std::string Path;
  Path.reserve(Encoded.size());
  for (std::size_t I = 0; I < Encoded.size(); ++I) {
    if (Encoded[I] != '%') {
      Path += Encoded[I];
      continue;
    }
    if (I + 2 >= Encoded.size())
      return std::nullopt;
    int High = hexValue(Encoded[I + 1]);
    int Low = hexValue(Encoded[I + 2]);
    if (High < 0 || Low < 0)
      return std::nullopt;
    Path += static_cast<char>(High * 16 + Low);
    I += 2;
  }
  if (Path.find('\0') != std::string::npos)
    return std::nullopt;
  return Path;
}

std::string fileUriFromPath(std::string_view Path) {
  static const char Hex[] = "0123456789ABCDEF";
  std::string Uri = "file://";
  for (unsigned char C : Path) {
    if (isUnreserved(C) || C == '/') {
      Uri += static_cast<char>(C);
    } else {
      Uri += '%';
      Uri += Hex[C >> 4];
      Uri += Hex[C & 15];
    }
  }
  return Uri;
}

} // namespace chanlint::lsp
