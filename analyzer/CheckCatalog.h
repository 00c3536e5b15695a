// The checks chanlint offers: names, descriptions and documentation links,
// shared by the clang-tidy module, SARIF rules and the language server.
#pragma once

#include "Finding.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace chanlint {

/// A boolean option of a check, read from `<check>.<Name>` in CheckOptions.
struct CheckOption {
  llvm::StringRef Name;
  bool Default;
  llvm::StringRef Description;
};

/// A catalogue entry. Adding a check adds one here, next to its rule file
/// (analyzer/rules/), its doc and its fixtures.
struct CheckInfo {
  llvm::StringRef Name;             ///< "chan-receiver-close"
  llvm::StringRef ShortDescription; ///< one line
  llvm::StringRef FullDescription;  ///< the rule and why
  llvm::StringRef Principle;        ///< the Go rule behind it
  llvm::StringRef DocPath;          ///< relative to the repository root
  llvm::StringRef Precision;        ///< SARIF precision: very-high, high, medium
  llvm::ArrayRef<CheckOption> Options = {};
  CheckId id() const;
};

llvm::ArrayRef<CheckInfo> allChecks();
const CheckInfo &checkInfo(CheckId Id);
std::optional<CheckId> checkByName(llvm::StringRef Name);
/// The id of a check the catalogue must have (rule files name their own).
CheckId checkNamed(llvm::StringRef Name);

/// Where the documentation of a check is published.
std::string checkHelpUri(const CheckInfo &Info);

} // namespace chanlint
