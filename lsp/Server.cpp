#include "Server.h"

#include "CodeActions.h"
#include "Log.h"
#include "Uri.h"

#include "SourceText.h"
#include "Version.h"

#include <chrono>

namespace chanlint::lsp {

namespace {

std::string formatSeconds(AnalysisScheduler::Clock::duration D) {
  char Buffer[32];
  std::snprintf(Buffer, sizeof Buffer, "%.2f s", std::chrono::duration<double>(D).count());
  return Buffer;
}

/// The workspace root of an InitializeParams: rootUri, else rootPath, else
/// the first workspace folder; "" if none is a local directory.
std::string workspaceRootOf(const json &Params) {
  if (auto It = Params.find("rootUri"); It != Params.end() && It->is_string())
    if (std::optional<std::string> Path = pathFromFileUri(It->get<std::string>()))
      return driver::normalizePath(*Path);
  if (auto It = Params.find("rootPath"); It != Params.end() && It->is_string() &&
                                         !It->get<std::string>().empty())
    return driver::normalizePath(It->get<std::string>());
  if (auto It = Params.find("workspaceFolders"); It != Params.end() && It->is_array())
    for (const json &Folder : *It)
      if (Folder.is_object() && Folder.contains("uri") && Folder["uri"].is_string())
        if (std::optional<std::string> Path = pathFromFileUri(Folder["uri"].get<std::string>()))
          return driver::normalizePath(*Path);
  return "";
}

std::int64_t versionOf(const json &TextDocument) {
  const json &V = TextDocument.at("version");
  if (!V.is_number_integer())
    throw json::type_error::create(302, "textDocument.version must be an integer", &V);
  return V.get<std::int64_t>();
}

} // namespace

LanguageServer::LanguageServer(ServerConfig Config, int InputFd, int OutputFd)
    : Config(std::move(Config)), Reader(InputFd), Writer(OutputFd),
      Dispatcher([this](const json &Message) { send(Message); }) {
  Settings = this->Config.Defaults;
  registerHandlers();
}

LanguageServer::~LanguageServer() = default;

void LanguageServer::send(const json &Message) {
  // Invalid UTF-8 (from a source file's bytes in a message) is replaced
  // rather than thrown on.
  Writer.write(Message.dump(-1, ' ', false, json::error_handler_t::replace));
}

void LanguageServer::tellClient(int Type, const std::string &Message) {
  logLine(Message);
  send(JsonRpcDispatcher::notification("window/logMessage",
                                       {{"type", Type}, {"message", "chanlint: " + Message}}));
}

std::optional<RpcError> LanguageServer::gate(const std::string &Method) const {
  switch (Lifecycle) {
  case State::Uninitialized:
    if (Method == "initialize")
      return std::nullopt;
    return RpcError(ServerNotInitialized, "the server is not initialized yet");
  case State::Running:
    if (Method == "initialize")
      return RpcError(InvalidRequest, "the server is already initialized");
    return std::nullopt;
  case State::ShutDown:
    return RpcError(InvalidRequest, "the server is shut down; only 'exit' is accepted");
  }
  return std::nullopt;
}

void LanguageServer::registerHandlers() {
  Dispatcher.setRequestGate([this](const std::string &Method) { return gate(Method); });
  Dispatcher.onRequest("initialize", [this](const json &P) { return initialize(P); });
  Dispatcher.onRequest("shutdown", [this](const json &) { return shutdown(); });
  Dispatcher.onRequest("textDocument/codeAction", [this](const json &P) { return codeAction(P); });

  // Document notifications count only between initialize and shutdown.
  auto WhenRunning = [this](void (LanguageServer::*Handler)(const json &)) {
    return [this, Handler](const json &P) {
      if (Lifecycle == State::Running)
        (this->*Handler)(P);
    };
  };
  Dispatcher.onNotification("initialized", [](const json &) {});
  Dispatcher.onNotification("textDocument/didOpen", WhenRunning(&LanguageServer::didOpen));
  Dispatcher.onNotification("textDocument/didChange", WhenRunning(&LanguageServer::didChange));
  Dispatcher.onNotification("textDocument/didSave", WhenRunning(&LanguageServer::didSave));
  Dispatcher.onNotification("textDocument/didClose", WhenRunning(&LanguageServer::didClose));
  Dispatcher.onNotification("exit", [this](const json &) { ExitRequested = true; });
}

json LanguageServer::initialize(const json &Params) {
  if (!Params.is_object())
    throw RpcError(InvalidParams, "initialize: params must be an object");
  WorkspaceRoot = workspaceRootOf(Params);
  std::vector<std::string> Warnings;
  Settings = applyInitializationOptions(Config.Defaults,
                                        Params.value("initializationOptions", json()), Warnings);
  for (const std::string &W : Warnings)
    tellClient(2, W);

  ResolverSettings Resolve;
  if (!Settings.CompilationDatabasePath.empty())
    Resolve.DatabasePath = driver::normalizePath(Settings.CompilationDatabasePath, WorkspaceRoot);
  Resolve.FallbackDirectory = WorkspaceRoot;
  Resolve.FallbackFlags = Settings.FallbackFlags;
  Resolve.FallbackOverride = Config.FallbackOverride;
  Resolve.Runner = Config.Runner;
  if (Settings.Checks)
    Resolve.Runner.Tidy.Checks = Settings.Checks;
  if (Settings.ModelFiles) {
    Resolve.Runner.Tidy.ModelFiles.clear();
    for (const std::string &M : *Settings.ModelFiles)
      Resolve.Runner.Tidy.ModelFiles.push_back(driver::normalizePath(M, WorkspaceRoot));
  }
  Resolver = std::make_unique<CompileCommandResolver>(
      std::move(Resolve), [this](const std::string &Warning) { tellClient(2, Warning); });
  Scheduler = std::make_unique<AnalysisScheduler>(
      [this](const AnalysisJob &Job) { return analyze(Job); },
      [this](const AnalysisJob &Job, const driver::TUResult &Result,
             AnalysisScheduler::Clock::duration Elapsed) {
        publish(Job, Result, Elapsed);
      });
  Lifecycle = State::Running;
  logLine("initialized; workspace root '" + WorkspaceRoot + "', debounce " +
          std::to_string(Settings.Debounce.count()) + " ms");

  return {
      {"capabilities",
       {{"positionEncoding", "utf-16"},
        {"textDocumentSync",
         {{"openClose", true}, {"change", 2 /* Incremental */}, {"save", {{"includeText", false}}}}},
        {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}}}}},
      {"serverInfo", {{"name", "chanlint"}, {"version", ChanlintVersion}}},
  };
}

json LanguageServer::shutdown() {
  Lifecycle = State::ShutDown;
  if (Scheduler)
    Scheduler->cancelAll();
  return nullptr;
}

void LanguageServer::didOpen(const json &Params) {
  const json &TD = Params.at("textDocument");
  Document D;
  D.Uri = TD.at("uri").get<std::string>();
  D.Version = versionOf(TD);
  D.Text = TD.at("text").get<std::string>();
  if (std::optional<std::string> Path = pathFromFileUri(D.Uri))
    D.Path = driver::normalizePath(*Path);
  Documents.open(D);
  if (D.Path.empty()) {
    logLine("not analysing " + D.Uri + ": not a local file");
    return;
  }
  Scheduler->schedule({D.Uri, D.Path, D.Version, std::move(D.Text)},
                      std::chrono::milliseconds(0));
}

void LanguageServer::didChange(const json &Params) {
  const json &TD = Params.at("textDocument");
  std::string Uri = TD.at("uri").get<std::string>();
  std::int64_t Version = versionOf(TD);
  std::vector<ContentChange> Changes;
  for (const json &C : Params.at("contentChanges")) {
    ContentChange Change;
    if (auto It = C.find("range"); It != C.end() && !It->is_null())
      Change.Range = rangeFromJson(*It);
    Change.Text = C.at("text").get<std::string>();
    Changes.push_back(std::move(Change));
  }
  std::optional<Document> D = Documents.change(Uri, Version, Changes);
  if (!D) {
    logLine("ignored a change of " + Uri + ": it is not open");
    return;
  }
  if (D->Path.empty())
    return;
  Scheduler->schedule({D->Uri, D->Path, D->Version, std::move(D->Text)}, Settings.Debounce);
}

void LanguageServer::didSave(const json &Params) {
  // The text is the same, but headers it includes may have been saved too:
  // analyse again, unless this version's analysis is still under way.
  std::string Uri = Params.at("textDocument").at("uri").get<std::string>();
  std::optional<Document> D = Documents.get(Uri);
  if (!D || D->Path.empty())
    return;
  Scheduler->scheduleNowUnlessUnderWay({D->Uri, D->Path, D->Version, std::move(D->Text)});
}

void LanguageServer::didClose(const json &Params) {
  std::string Uri = Params.at("textDocument").at("uri").get<std::string>();
  if (std::optional<Document> D = Documents.get(Uri); D && !D->Path.empty())
    Preambles.forget(D->Path);
  Documents.close(Uri);
  Scheduler->cancel(Uri);
  {
    std::lock_guard<std::mutex> Lock(PublishedMutex);
    PublishedByUri.erase(Uri);
  }
  send(JsonRpcDispatcher::notification("textDocument/publishDiagnostics",
                                       {{"uri", Uri}, {"diagnostics", json::array()}}));
}

json LanguageServer::codeAction(const json &Params) {
  std::string Uri = Params.at("textDocument").at("uri").get<std::string>();
  CodeActionRequest Request = codeActionRequestFromJson(Params);
  std::optional<Document> D = Documents.get(Uri);
  if (!D)
    return json::array();
  std::lock_guard<std::mutex> Lock(PublishedMutex);
  auto It = PublishedByUri.find(Uri);
  // Fixes computed for another version would edit the wrong text: none
  // until the current version is analysed.
  if (It == PublishedByUri.end() || It->second.Version != D->Version)
    return json::array();
  return codeActionsFor(It->second.Diagnostics, Request, Uri, D->Path, D->Text);
}

driver::TUResult LanguageServer::analyze(const AnalysisJob &Job) {
  CompileCommandResolver::Choice Choice = Resolver->resolve(Job.Path);
  if (CommandSources[Job.Path] != Choice.Source) {
    CommandSources[Job.Path] = Choice.Source;
    logLine("compile command for " + Job.Path + ": " + Choice.Source);
  }
  logLine("analysing " + Job.Path + " version " + std::to_string(Job.Version));
  if (!Choice.Runner) {
    driver::TUResult R;
    R.File = Job.Path;
    R.Failed = true;
    R.FailureReason = Choice.Error;
    return R;
  }
  // Every open buffer, this job's text for its own file: the analysis sees
  // what the editor shows.
  driver::FileOverlays Overlays = Documents.buffers();
  Overlays[Job.Path] = Job.Text;
  if (!Settings.Preamble)
    return Choice.Runner->analyze(Job.Path, Overlays);
  std::unique_ptr<PreambleStore::Use> Preamble = Preambles.use(Job.Path, Overlays);
  driver::TUResult Result = Choice.Runner->analyze(Job.Path, Overlays, Preamble.get());
  logLine("preamble of " + Job.Path + " version " + std::to_string(Job.Version) + ": " +
          Preamble->summary());
  return Result;
}

void LanguageServer::publish(const AnalysisJob &Job, const driver::TUResult &Result,
                             AnalysisScheduler::Clock::duration Elapsed) {
  std::optional<std::int64_t> Current = Documents.version(Job.Uri);
  if (!Current || *Current != Job.Version) {
    logLine("dropped the analysis of " + Job.Uri + " version " + std::to_string(Job.Version) +
            ": the document " + (Current ? "changed" : "was closed"));
    return;
  }
  std::vector<PublishedDiagnostic> Diagnostics = toLspDiagnostics(Result, Job.Uri, Job.Path);
  json List = json::array();
  for (const PublishedDiagnostic &D : Diagnostics)
    List.push_back(D.Lsp);
  {
    std::lock_guard<std::mutex> Lock(PublishedMutex);
    PublishedByUri[Job.Uri] = {Job.Version, std::move(Diagnostics)};
  }
  send(JsonRpcDispatcher::notification(
      "textDocument/publishDiagnostics",
      {{"uri", Job.Uri}, {"version", Job.Version}, {"diagnostics", List}}));
  logLine("published " + std::to_string(List.size()) + " diagnostic(s) for " + Job.Path +
          " version " + std::to_string(Job.Version) + ": analysis " +
          formatSeconds(std::chrono::duration_cast<AnalysisScheduler::Clock::duration>(
              std::chrono::duration<double>(Result.Seconds))) +
          ", " + formatSeconds(Elapsed) + " after the request" +
          (Result.Failed ? " (incomplete: " + Result.FailureReason + ")" : ""));
}

int LanguageServer::run() {
  while (!ExitRequested) {
    FramedReader::Result Message = Reader.read();
    if (Message.What == FramedReader::Status::EndOfStream) {
      logLine("the client closed the connection");
      break;
    }
    if (Message.What == FramedReader::Status::FramingError) {
      // No id to answer to: all the protocol allows is to go on.
      logLine("skipped a malformed message header: " + Message.Error);
      continue;
    }
    Dispatcher.dispatch(Message.Body);
  }
  if (Scheduler)
    Scheduler->cancelAll(); // whatever still runs publishes nothing
  return Lifecycle == State::ShutDown ? 0 : 1;
}

} // namespace chanlint::lsp
