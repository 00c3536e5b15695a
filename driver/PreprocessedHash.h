// The cache key of a TU: a SHA-256 over what its analysis depends on. The
// TU is run through the preprocessor (not the parser: that is the cost the
// cache saves) and every token it produces goes into the hash, with the
// contents of every file it read: comments are not tokens, but NOLINT
// lives in comments, and positions in the results depend on the exact text.
// What it read and searched is kept as well (CacheManifest.h), so the next
// run can skip the preprocessor when none of it changed.
#pragma once

#include "CacheManifest.h"

#include "clang/Tooling/Tooling.h"

#include "llvm/Support/SHA256.h"

#include <string>

namespace chanlint::driver {

class PreprocessedHasher : public clang::tooling::FrontendActionFactory {
public:
  std::unique_ptr<clang::FrontendAction> create() override;
  /// Sets up the preprocessor as clang-tidy does (__clang_analyzer__).
  bool runInvocation(std::shared_ptr<clang::CompilerInvocation> Invocation,
                     clang::FileManager *Files,
                     std::shared_ptr<clang::PCHContainerOperations> PCHContainerOps,
                     clang::DiagnosticConsumer *DiagConsumer) override;

  /// Adds a field (length-prefixed, so that fields cannot run together).
  void add(llvm::StringRef Field);
  /// The hex digest; the hasher is spent afterwards.
  std::string finish();

  /// What the preprocessor read and searched, for the cache's fast path
  /// (its Key is left for the caller to fill in).
  CacheManifest &inputs() { return Inputs; }

private:
  llvm::SHA256 Hash;
  CacheManifest Inputs;
};

} // namespace chanlint::driver
