#include "LanguageServerMain.h"

#include "Log.h"
#include "Server.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace chanlint::lsp {

int runLanguageServer(const driver::CliOptions &O,
                      std::unique_ptr<clang::tooling::CompilationDatabase> FallbackFlags) {
  // A client that goes away must not kill the server mid-write; the
  // failed write says so instead.
  std::signal(SIGPIPE, SIG_IGN);

  // The protocol owns stdout. Anything else that prints there (LLVM's
  // outs(), a stray printf in a library) goes to stderr instead of
  // corrupting a message.
  int ProtocolFd = ::dup(STDOUT_FILENO);
  if (ProtocolFd < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    logLine("cannot set up stdout for the protocol");
    std::_Exit(1);
  }

  ServerConfig Config;
  Config.Defaults.CompilationDatabasePath = O.BuildPath;
  Config.Defaults.Checks = O.Checks;
  Config.Runner.Tidy.Checks = O.Checks;
  Config.Runner.Tidy.HeaderFilter = O.HeaderFilter;
  Config.Runner.Tidy.ExcludeHeaderFilter = O.ExcludeHeaderFilter;
  Config.Runner.Tidy.SystemHeaders = O.SystemHeaders;
  Config.Runner.Tidy.ExtraArgs = O.ExtraArgs;
  Config.Runner.Tidy.ExtraArgsBefore = O.ExtraArgsBefore;
  Config.Runner.Tidy.Config = O.Config;
  Config.Runner.Tidy.ConfigFile = O.ConfigFile;
  Config.Runner.Tidy.ModelFiles = O.ModelFiles;
  Config.Runner.ResourceDir = O.ResourceDir;
  Config.FallbackOverride = std::move(FallbackFlags);

  LanguageServer Server(std::move(Config), STDIN_FILENO, ProtocolFd);
  int Code = Server.run();
  // An analysis still running cannot be interrupted, and nothing it would
  // produce is wanted any more: end the process now rather than after clang
  // is done (seconds, on a busy machine). Messages are written unbuffered;
  // the log is flushed here.
  std::fflush(nullptr);
  std::_Exit(Code);
}

} // namespace chanlint::lsp
