#include "DocumentStore.h"

#include "Utf16Text.h"

namespace chanlint::lsp {

void DocumentStore::open(Document D) {
  std::lock_guard<std::mutex> Lock(Mutex);
  std::string Uri = D.Uri;
  Documents[Uri] = std::move(D);
}

std::optional<Document> DocumentStore::change(const std::string &Uri, std::int64_t Version,
                                              const std::vector<ContentChange> &Changes) {
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Documents.find(Uri);
  if (It == Documents.end())
    return std::nullopt;
  for (const ContentChange &C : Changes)
    applyChange(It->second.Text, C.Range, C.Text);
  It->second.Version = Version;
  return It->second;
}

void DocumentStore::close(const std::string &Uri) {
  std::lock_guard<std::mutex> Lock(Mutex);
  Documents.erase(Uri);
}

std::optional<Document> DocumentStore::get(const std::string &Uri) const {
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Documents.find(Uri);
  if (It == Documents.end())
    return std::nullopt;
  return It->second;
}

std::optional<std::int64_t> DocumentStore::version(const std::string &Uri) const {
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Documents.find(Uri);
  if (It == Documents.end())
    return std::nullopt;
  return It->second.Version;
}

std::map<std::string, std::string> DocumentStore::buffers() const {
  std::lock_guard<std::mutex> Lock(Mutex);
  std::map<std::string, std::string> Buffers;
  for (const auto &[Uri, D] : Documents)
    if (!D.Path.empty())
      Buffers[D.Path] = D.Text;
  return Buffers;
}

} // namespace chanlint::lsp
