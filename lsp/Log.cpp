#include "Log.h"

#include <cstdio>
#include <mutex>

namespace chanlint::lsp {

void logLine(std::string_view Line) {
  static std::mutex Mutex;
  std::lock_guard<std::mutex> Lock(Mutex);
  std::fprintf(stderr, "chanlint-lsp: %.*s\n", static_cast<int>(Line.size()), Line.data());
  std::fflush(stderr);
}

} // namespace chanlint::lsp
