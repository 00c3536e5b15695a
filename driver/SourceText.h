// File contents with a line index: turns the byte offsets that clang-tidy
// reports into lines and columns (bytes and UTF-16), and gives the text of
// a line (for fingerprints and snippets).
#pragma once

#include "Diagnostic.h"

#include "llvm/ADT/IntrusiveRefCntPtr.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <memory>
#include <string>
#include <vector>

namespace chanlint::driver {

class SourceText {
public:
  explicit SourceText(std::string Content);

  /// Offsets past the end are clamped to the end.
  Position position(unsigned Offset) const;
  /// The text of a 1-based line, without its line break; "" if out of range.
  llvm::StringRef lineText(unsigned Line) const;
  /// Where the token that starts at Offset ends: the end of an identifier
  /// or number, else one character (never past the end of the line). Used
  /// for the end of a range when clang-tidy gave none.
  unsigned tokenEnd(unsigned Offset) const;
  llvm::StringRef text() const { return Content; }

private:
  std::string Content;
  std::vector<unsigned> LineStarts;
};

/// UTF-16 code units in the UTF-8 text Bytes (invalid bytes count as one).
unsigned utf16Length(llvm::StringRef Bytes);

/// Reads each file once, through a file system that may overlay unsaved
/// buffers. Not thread-safe: one per analysis or per output.
class SourceFiles {
public:
  explicit SourceFiles(llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS);
  /// nullptr if the file cannot be read.
  const SourceText *get(llvm::StringRef Path);

private:
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS;
  llvm::StringMap<std::unique_ptr<SourceText>> Files;
};

/// An absolute path with "." and ".." removed, Base used for relative ones.
std::string normalizePath(llvm::StringRef Path, llvm::StringRef Base = "");

} // namespace chanlint::driver
