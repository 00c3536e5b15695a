// `chanlint merge a.sarif b.sarif ... -o all.sarif`: one SARIF log from the
// logs of several shards (or several runs). chanlint's runs become one run:
// the rules' union, every result once (same rule, fingerprint and place),
// in a fixed order, each shard's invocation kept. Runs of other tools are
// passed through unchanged. The first log's SRCROOT is kept: shards check
// out the same tree, so their relative URIs agree.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <nlohmann/json.hpp>

#include <string>

namespace chanlint::driver {

llvm::Expected<nlohmann::json> mergeSarifLogs(llvm::ArrayRef<nlohmann::json> Logs);

/// Reads and merges the files.
llvm::Expected<nlohmann::json> mergeSarifFiles(llvm::ArrayRef<std::string> Paths);

} // namespace chanlint::driver
