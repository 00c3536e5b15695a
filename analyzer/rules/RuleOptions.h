// The options of the checks, as the rules read them: booleans named in the
// catalogue entry of their check (CheckCatalog.cpp), set from CheckOptions
// or the driver's configuration, defaulting to the catalogue's value.
#pragma once

#include "../CheckCatalog.h"

#include <map>
#include <string>
#include <utility>

namespace chanlint {

class RuleOptions {
public:
  /// The value of a catalogue option of a check.
  bool flag(CheckId Check, llvm::StringRef Name) const;
  void set(CheckId Check, llvm::StringRef Name, bool Value);
  /// Every value set, for sharing and caching.
  std::string fingerprint() const;

private:
  std::map<std::pair<uint8_t, std::string>, bool> Values;
};

} // namespace chanlint
