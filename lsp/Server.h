// chanlint's language server: the LSP lifecycle and the text document
// methods, over the framed JSON-RPC transport. The reader thread (run())
// parses and answers; analyses run on the scheduler's thread and publish
// their diagnostics from there.
//
//   initialize      -> capabilities: incremental sync (UTF-16), open/close,
//                      save; quick fixes; positionEncoding utf-16
//   didOpen         -> analyse now
//   didSave         -> analyse now, unless this version's analysis is
//                      running or waiting (then that one serves)
//   didChange       -> analyse after the debounce delay
//   didClose        -> forget the document, clear its diagnostics
//   codeAction      -> the fix-its of the diagnostics the client names or
//                      whose range it touches (CodeActions.h)
//   shutdown, exit  -> exit code 0 after shutdown, 1 otherwise
#pragma once

#include "AnalysisScheduler.h"
#include "CompileCommandResolver.h"
#include "DiagnosticConversion.h"
#include "DocumentStore.h"
#include "JsonRpc.h"
#include "PreambleStore.h"
#include "ServerSettings.h"
#include "Transport.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace chanlint::lsp {

/// What the command line decides; the client's initializationOptions
/// override the settings.
struct ServerConfig {
  ServerSettings Defaults;
  driver::RunnerOptions Runner;
  /// Flags after `--` on the command line: the fallback database.
  std::shared_ptr<const clang::tooling::CompilationDatabase> FallbackOverride;
};

class LanguageServer {
public:
  LanguageServer(ServerConfig Config, int InputFd, int OutputFd);
  ~LanguageServer();

  /// Serves until `exit` or the end of the input; returns the exit code.
  /// An analysis may still be running then: it publishes nothing, and the
  /// destructor waits for it.
  int run();

private:
  enum class State { Uninitialized, Running, ShutDown };

  void registerHandlers();
  std::optional<RpcError> gate(const std::string &Method) const;

  json initialize(const json &Params);
  json shutdown();
  json codeAction(const json &Params);
  void didOpen(const json &Params);
  void didChange(const json &Params);
  void didSave(const json &Params);
  void didClose(const json &Params);

  driver::TUResult analyze(const AnalysisJob &Job);
  void publish(const AnalysisJob &Job, const driver::TUResult &Result,
               AnalysisScheduler::Clock::duration Elapsed);

  void send(const json &Message);
  /// window/logMessage (type 2: warning, 3: info), and the log.
  void tellClient(int Type, const std::string &Message);

  ServerConfig Config;
  ServerSettings Settings;
  std::string WorkspaceRoot;
  FramedReader Reader;
  FramedWriter Writer;
  JsonRpcDispatcher Dispatcher;
  State Lifecycle = State::Uninitialized; ///< reader thread only
  bool ExitRequested = false;

  DocumentStore Documents;
  PreambleStore Preambles;
  std::unique_ptr<CompileCommandResolver> Resolver;

  struct Published {
    std::int64_t Version;
    std::vector<PublishedDiagnostic> Diagnostics;
  };
  std::mutex PublishedMutex;
  std::map<std::string, Published> PublishedByUri;
  /// Files whose compile command source was logged already.
  std::map<std::string, std::string> CommandSources;

  /// Last: destroyed first, so no analysis outlives what it uses.
  std::unique_ptr<AnalysisScheduler> Scheduler;
};

} // namespace chanlint::lsp
