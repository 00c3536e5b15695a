// Results as JSON, losslessly: the cache stores TUs this way, and the
// `--format=json` output uses the same objects for its diagnostics.
#pragma once

#include "Diagnostic.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace chanlint::driver {

nlohmann::json toJson(const Position &P);
nlohmann::json toJson(const Location &L);
nlohmann::json toJson(const SuppressedWarnings &S);
nlohmann::json toJson(const Diagnostic &D);
nlohmann::json toJson(const BoundNotice &B);
nlohmann::json toJson(const TUResult &R);

/// nullopt if the JSON does not have the expected shape.
std::optional<Diagnostic> diagnosticFromJson(const nlohmann::json &J);
std::optional<TUResult> tuResultFromJson(const nlohmann::json &J);

} // namespace chanlint::driver
