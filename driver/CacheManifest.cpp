#include "CacheManifest.h"

#include "JsonText.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/MemoryBuffer.h"

#include <nlohmann/json.hpp>

#include <chrono>

namespace chanlint::driver {

std::string CacheManifest::digest(llvm::StringRef Contents) {
  auto Hash = llvm::BLAKE3::hash<16>(llvm::arrayRefFromStringRef(Contents));
  return llvm::toHex(Hash, /*LowerCase=*/true);
}

std::optional<int64_t> CacheManifest::modifiedNs(llvm::vfs::FileSystem &FS,
                                                 llvm::StringRef Dir) {
  llvm::ErrorOr<llvm::vfs::Status> S = FS.status(Dir);
  if (!S)
    return std::nullopt;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             S->getLastModificationTime().time_since_epoch())
      .count();
}

bool CacheManifest::stillHolds(llvm::vfs::FileSystem &FS) const {
  // Directories first: a stat each, and the likelier change (a new header).
  for (const Directory &D : Directories)
    if (modifiedNs(FS, D.Path).value_or(MissingDirectory) != D.ModifiedNs)
      return false;
  for (const File &F : Files) {
    auto Buffer = FS.getBufferForFile(F.Path, /*FileSize=*/-1,
                                      /*RequiresNullTerminator=*/false);
    if (!Buffer || digest((*Buffer)->getBuffer()) != F.Digest)
      return false;
  }
  return !Key.empty();
}

std::string CacheManifest::toJson() const {
  nlohmann::json J;
  J["key"] = Key;
  J["files"] = nlohmann::json::array();
  for (const File &F : Files)
    J["files"].push_back({F.Path, F.Digest});
  J["directories"] = nlohmann::json::array();
  for (const Directory &D : Directories)
    J["directories"].push_back({D.Path, D.ModifiedNs});
  // A path that is not UTF-8 reads back as another path: no such file, so
  // the manifest does not match and the TU is preprocessed as before.
  return jsonText(J);
}

std::optional<CacheManifest> CacheManifest::fromJson(llvm::StringRef Text) {
  nlohmann::json J = nlohmann::json::parse(Text.begin(), Text.end(), nullptr,
                                           /*allow_exceptions=*/false);
  auto PairOf = [](const nlohmann::json &E, nlohmann::json::value_t Second) {
    return E.is_array() && E.size() == 2 && E[0].is_string() &&
           (E[1].type() == Second ||
            (Second == nlohmann::json::value_t::number_integer && E[1].is_number_integer()));
  };
  if (!J.is_object() || !J.contains("key") || !J["key"].is_string() ||
      !J.contains("files") || !J["files"].is_array() || !J.contains("directories") ||
      !J["directories"].is_array())
    return std::nullopt;
  CacheManifest M;
  M.Key = J["key"].get<std::string>();
  for (const nlohmann::json &E : J["files"]) {
    if (!PairOf(E, nlohmann::json::value_t::string))
      return std::nullopt;
    M.Files.push_back({E[0].get<std::string>(), E[1].get<std::string>()});
  }
  for (const nlohmann::json &E : J["directories"]) {
    if (!PairOf(E, nlohmann::json::value_t::number_integer))
      return std::nullopt;
    M.Directories.push_back({E[0].get<std::string>(), E[1].get<int64_t>()});
  }
  return M;
}

} // namespace chanlint::driver
