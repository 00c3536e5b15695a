// `chanlint --lsp`: the language server on stdin/stdout, configured from
// the command line (-p, --checks, --config, --config-file,
// --header-filter, --extra-arg, flags after `--` as the fallback compile
// command). See docs/editors.md.
#pragma once

#include "Options.h"

#include "clang/Tooling/CompilationDatabase.h"

#include <memory>

namespace chanlint::lsp {

/// Serves until the client sends `exit` or closes stdin, then ends the
/// process itself: exit code 0 after a shutdown request, 1 otherwise. (It
/// returns int only so that main can `return` it.)
[[noreturn]] int runLanguageServer(const driver::CliOptions &Options,
                                   std::unique_ptr<clang::tooling::CompilationDatabase> FallbackFlags);

} // namespace chanlint::lsp
