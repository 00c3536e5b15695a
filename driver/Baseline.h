// --baseline old.sarif: report only what is new. A finding is old when its
// fingerprint (Fingerprint.h) appears among the partialFingerprints of the
// baseline's results, whichever run or tool they sit in.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Error.h"

namespace chanlint::driver {

llvm::Expected<llvm::StringSet<>> readBaselineFingerprints(llvm::StringRef SarifPath);

} // namespace chanlint::driver
