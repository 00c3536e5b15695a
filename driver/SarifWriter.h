// SARIF 2.1.0, for GitHub code scanning and other viewers:
// - one rule per check from the check catalog (analyzer/CheckCatalog.h),
//   with descriptions, help, helpUri, tags, precision, problem.severity;
// - a result per finding: its anchor region, notes as relatedLocations,
//   path notes as a codeFlow, the fix-it as a fix, the enclosing function
//   as a logicalLocation, and partialFingerprints (Fingerprint.h);
// - URIs relative to %SRCROOT% (originalUriBaseIds);
// - one invocation, with the exit code and a toolExecutionNotification for
//   every TU that failed to analyse.
// Columns are UTF-16 code units (SARIF's default columnKind).
#pragma once

#include "Report.h"

#include <nlohmann/json.hpp>

#include <string>

namespace chanlint::driver {

nlohmann::json makeSarif(const Report &R);

/// "file:///a%20b/" style URI of an absolute path (Directory adds the '/').
std::string fileUri(llvm::StringRef Path, bool Directory = false);
/// Percent-encodes a relative path for a URI reference.
std::string encodeUriPath(llvm::StringRef Path);

} // namespace chanlint::driver
