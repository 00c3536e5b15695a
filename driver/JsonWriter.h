// chanlint's own JSON: everything a script needs, nothing it must decode.
//
// { "tool": {"name", "version"}, "srcroot", "exitCode",
//   "summary": {"translationUnits", "failed", "findings",
//               "suppressedByBaseline", "outsideDiff"},
//   "translationUnits": [{"file", "path", "failed", "failureReason",
//                         "compilerErrors": [diagnostic]}],
//   "findings": [diagnostic + {"path", "fingerprint"}] }
//
// A diagnostic is ResultJson's: check, level, message, location (file,
// start, end with offset/line/column/utf16Column), notes, fixes, context,
// lineText. "path" is the file relative to srcroot (absolute outside it).
#pragma once

#include "Report.h"

#include <nlohmann/json.hpp>

namespace chanlint::driver {

nlohmann::json makeJsonReport(const Report &R);

} // namespace chanlint::driver
