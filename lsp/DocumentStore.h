// The documents the client has open: their text as the editor holds it
// (unsaved edits included) and its version. Thread-safe: the reader thread
// edits, the analysis thread reads the buffers it analyses with.
#pragma once

#include "Protocol.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace chanlint::lsp {

struct Document {
  std::string Uri;
  /// The file it shows; "" when the URI is not a file (e.g. untitled:).
  std::string Path;
  std::int64_t Version = 0;
  std::string Text;
};

/// One TextDocumentContentChangeEvent.
struct ContentChange {
  std::optional<LspRange> Range; ///< none: the whole text
  std::string Text;
};

class DocumentStore {
public:
  void open(Document D);
  /// Applies Changes in order and sets the version; the document after the
  /// change, or nullopt if it is not open.
  std::optional<Document> change(const std::string &Uri, std::int64_t Version,
                                 const std::vector<ContentChange> &Changes);
  void close(const std::string &Uri);

  std::optional<Document> get(const std::string &Uri) const;
  /// The version of an open document, nullopt if it is not open.
  std::optional<std::int64_t> version(const std::string &Uri) const;
  /// Path -> text of every open file document: what the analysis sees
  /// instead of the files on disk.
  std::map<std::string, std::string> buffers() const;

private:
  mutable std::mutex Mutex;
  std::map<std::string, Document> Documents; ///< by URI
};

} // namespace chanlint::lsp
