// GitLab's Code Quality report (a subset of the Code Climate issue format):
// an array of issues with description, check_name, fingerprint, severity
// and location.path / location.lines.begin. GitLab shows them in merge
// requests when a job publishes the file as artifacts:reports:codequality.
#pragma once

#include "Report.h"

#include <nlohmann/json.hpp>

namespace chanlint::driver {

nlohmann::json makeCodeClimate(const Report &R);

} // namespace chanlint::driver
