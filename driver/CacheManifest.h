// The cache's fast path (as ccache's direct mode): what a TU's preprocessed
// key was computed from, so that a later run can tell the key still holds
// without running the preprocessor again (on a warm run that preprocessing
// was nearly all of the time).
//
// A manifest lists every file the preprocessor read, with a digest of its
// contents, and every directory an #include searched or read from, with its
// modification time: a header added there can change what an #include finds,
// and adding an entry changes the directory's time. If all of them are as
// recorded, the TU preprocesses to the same tokens and its key is the
// recorded one.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace chanlint::driver {

struct CacheManifest {
  struct File {
    std::string Path;   ///< absolute
    std::string Digest; ///< BLAKE3 of the contents, hex
  };
  struct Directory {
    std::string Path;       ///< absolute
    int64_t ModifiedNs = 0; ///< nanoseconds since the epoch, or MissingDirectory
  };
  /// A search directory that does not exist: creating it can change an #include too.
  static constexpr int64_t MissingDirectory = -1;

  std::string Key; ///< the preprocessed key these inputs give
  std::vector<File> Files;
  std::vector<Directory> Directories;

  /// True if every file still has its digest and every directory its time,
  /// seen through FS (the editor's unsaved buffers included).
  bool stillHolds(llvm::vfs::FileSystem &FS) const;

  static std::string digest(llvm::StringRef Contents);
  static std::optional<int64_t> modifiedNs(llvm::vfs::FileSystem &FS, llvm::StringRef Dir);

  std::string toJson() const;
  /// nullopt for anything that is not a manifest (a damaged entry is a miss).
  static std::optional<CacheManifest> fromJson(llvm::StringRef Text);
};

} // namespace chanlint::driver
