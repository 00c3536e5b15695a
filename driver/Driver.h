// One `chanlint` run from parsed options to exit code: find the compile
// commands, pick the sources (all, a shard, those a diff touches), analyse
// them, filter (baseline, diff), write the reports, apply or export fixes.
#pragma once

#include "Options.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <memory>

namespace chanlint::driver {

int runChanlint(const CliOptions &Options,
                std::unique_ptr<clang::tooling::CompilationDatabase> FixedFlags);

/// `chanlint merge a.sarif b.sarif... -o all.sarif`.
int runMerge(int Argc, const char **Argv);

} // namespace chanlint::driver
