#include "ResultCache.h"

#include "AtomicFile.h"
#include "JsonText.h"
#include "ResultJson.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

namespace chanlint::driver {

std::string ResultCache::defaultDirectory() {
  llvm::SmallString<256> P;
  if (auto Xdg = llvm::sys::Process::GetEnv("XDG_CACHE_HOME"); Xdg && !Xdg->empty()) {
    P = *Xdg;
  } else if (auto Home = llvm::sys::Process::GetEnv("HOME"); Home && !Home->empty()) {
    P = *Home;
    llvm::sys::path::append(P, ".cache");
  } else {
    return "";
  }
  llvm::sys::path::append(P, "chanlint");
  return std::string(P);
}

std::string ResultCache::pathFor(llvm::StringRef Key) const {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, Key.take_front(2), Key + ".json");
  return std::string(P);
}

std::string ResultCache::manifestPathFor(llvm::StringRef DirectKey) const {
  llvm::SmallString<256> P(Dir);
  llvm::sys::path::append(P, "manifests", DirectKey.take_front(2), DirectKey + ".json");
  return std::string(P);
}

std::optional<TUResult> ResultCache::lookup(llvm::StringRef Key) const {
  auto Buffer = llvm::MemoryBuffer::getFile(pathFor(Key));
  if (!Buffer)
    return std::nullopt;
  nlohmann::json J = nlohmann::json::parse((*Buffer)->getBuffer().begin(),
                                           (*Buffer)->getBuffer().end(), nullptr,
                                           /*allow_exceptions=*/false);
  if (!J.is_object() || !J.contains("key") || !J["key"].is_string() ||
      J["key"].get<std::string>() != Key || !J.contains("result"))
    return std::nullopt;
  return tuResultFromJson(J["result"]);
}

void ResultCache::store(llvm::StringRef Key, const TUResult &R) const {
  std::string Path = pathFor(Key);
  if (llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path)))
    return;
  nlohmann::json J = {{"key", Key.str()}, {"result", toJson(R)}};
  if (std::optional<std::string> Text = exactJsonText(J)) // else not cached
    (void)writeFileAtomically(Path, *Text);
}

std::optional<CacheManifest> ResultCache::lookupManifest(llvm::StringRef DirectKey) const {
  auto Buffer = llvm::MemoryBuffer::getFile(manifestPathFor(DirectKey));
  if (!Buffer)
    return std::nullopt;
  return CacheManifest::fromJson((*Buffer)->getBuffer());
}

void ResultCache::storeManifest(llvm::StringRef DirectKey, const CacheManifest &M) const {
  std::string Path = manifestPathFor(DirectKey);
  if (llvm::sys::fs::create_directories(llvm::sys::path::parent_path(Path)))
    return;
  (void)writeFileAtomically(Path, M.toJson());
}

} // namespace chanlint::driver
