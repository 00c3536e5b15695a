// The checks chanlint offers: names, descriptions and documentation links,
// shared by the clang-tidy module, SARIF rules and the language server.
#pragma once

#include "Finding.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace chanlint {

struct CheckInfo {
  CheckId Id;
  llvm::StringRef Name;             ///< "chan-receiver-close"
  llvm::StringRef ShortDescription; ///< one line
  llvm::StringRef FullDescription;  ///< the rule and why
  llvm::StringRef Principle;        ///< the Go rule behind it
  llvm::StringRef DocPath;          ///< relative to the repository root
  llvm::StringRef Precision;        ///< SARIF precision: very-high, high, medium
};

llvm::ArrayRef<CheckInfo> allChecks();
const CheckInfo &checkInfo(CheckId Id);
std::optional<CheckId> checkByName(llvm::StringRef Name);

/// Where the documentation of a check is published.
std::string checkHelpUri(const CheckInfo &Info);

} // namespace chanlint
