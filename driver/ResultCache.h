// Results of earlier runs, on disk, keyed by the preprocessed TU (see
// PreprocessedHash.h) with the flags, the effective configuration and the
// tool version. An unchanged TU is not analysed twice.
//
// One JSON file per key under <dir>/<2 hex>/<key>.json, written to a
// temporary file and renamed, so concurrent runs (or -j workers) never see
// half an entry. A damaged entry is a miss. Nothing is ever evicted:
// delete the directory to reclaim space.
//
// Next to the results, under <dir>/manifests/, what each key was computed
// from (CacheManifest.h), keyed by the TU's commands, configuration and main
// file: a warm run checks those inputs instead of preprocessing again.
#pragma once

#include "CacheManifest.h"
#include "Diagnostic.h"

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace chanlint::driver {

class ResultCache {
public:
  explicit ResultCache(std::string Directory) : Dir(std::move(Directory)) {}

  std::optional<TUResult> lookup(llvm::StringRef Key) const;
  /// Best effort: a cache that cannot be written only costs time.
  void store(llvm::StringRef Key, const TUResult &R) const;

  std::optional<CacheManifest> lookupManifest(llvm::StringRef DirectKey) const;
  void storeManifest(llvm::StringRef DirectKey, const CacheManifest &M) const;

  const std::string &directory() const { return Dir; }

  /// $XDG_CACHE_HOME/chanlint, or ~/.cache/chanlint; "" if neither is known.
  static std::string defaultDirectory();

private:
  std::string pathFor(llvm::StringRef Key) const;
  std::string manifestPathFor(llvm::StringRef DirectKey) const;
  std::string Dir;
};

} // namespace chanlint::driver
