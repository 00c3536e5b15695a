#include "Runner.h"

#include "AnalyzerFacts.h"
#include "PreprocessedHash.h"
#include "ResultCache.h"
#include "SourceText.h"
#include "Watchdog.h"

#include "Version.h"

#include "ClangTidy.h"
#include "ClangTidyDiagnosticConsumer.h"
#include "ClangTidyModule.h"

#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Basic/Version.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendActions.h"
#include "clang/Lex/PreprocessorOptions.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/Tooling.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Threading.h"

#include <chrono>

// Defined in checks/ChanTidyModule.cpp next to the module's registration:
// referencing it makes the linker keep that object, hence the chan-* checks.
extern volatile int ChanModuleAnchorSource;
static int ChanModuleAnchorDestination [[maybe_unused]] = ChanModuleAnchorSource;

using namespace clang;
using namespace clang::tidy;
using namespace clang::tooling;

namespace chanlint::driver {

std::string defaultResourceDir() { return CHANLINT_CLANG_RESOURCE_DIR; }

namespace {

/// The running binary (path, size, time): part of every cache key, so that
/// a rebuilt chanlint with a changed analysis never reads older results,
/// even before its version number moves.
const std::string &executableIdentity() {
  static const std::string Id = [] {
    static int Anchor;
    std::string Exe = llvm::sys::fs::getMainExecutable(nullptr, &Anchor);
    llvm::sys::fs::file_status Status;
    if (llvm::sys::fs::status(Exe, Status))
      return Exe;
    return Exe + ":" + std::to_string(Status.getSize()) + ":" +
           std::to_string(Status.getLastModificationTime().time_since_epoch().count());
  }();
  return Id;
}

/// What runClangTidy does to each command, and the resource directory a
/// binary outside LLVM's tree must be told about.
void configureTool(ClangTool &Tool, ClangTidyContext &Context, std::string ResourceDir) {
  Tool.setPrintErrorMessage(false);
  Tool.appendArgumentsAdjuster([&Context](const CommandLineArguments &Args,
                                          StringRef Filename) {
    ClangTidyOptions Opts = Context.getOptionsForFile(Filename);
    CommandLineArguments Adjusted = Args;
    if (Opts.ExtraArgsBefore) {
      auto I = Adjusted.begin();
      if (I != Adjusted.end() && !StringRef(*I).starts_with("-"))
        ++I; // after the compiler's name
      Adjusted.insert(I, Opts.ExtraArgsBefore->begin(), Opts.ExtraArgsBefore->end());
    }
    if (Opts.ExtraArgs)
      Adjusted.insert(Adjusted.end(), Opts.ExtraArgs->begin(), Opts.ExtraArgs->end());
    return Adjusted;
  });
  Tool.appendArgumentsAdjuster(getStripPluginsAdjuster());
  Tool.appendArgumentsAdjuster([ResourceDir = std::move(ResourceDir)](
                                   const CommandLineArguments &Args, StringRef) {
    for (const std::string &A : Args)
      if (StringRef(A).starts_with("-resource-dir"))
        return Args;
    CommandLineArguments Adjusted = Args;
    Adjusted.insert(Adjusted.begin() + (Adjusted.empty() ? 0 : 1),
                    "-resource-dir=" + ResourceDir);
    return Adjusted;
  });
}

/// runClangTidy's action, with the caller's hook on each invocation.
class TidyActionFactory : public FrontendActionFactory {
public:
  TidyActionFactory(ClangTidyContext &Context, InvocationHook *Hook)
      : ConsumerFactory(Context), Hook(Hook) {}

  std::unique_ptr<FrontendAction> create() override {
    return std::make_unique<Action>(ConsumerFactory);
  }

  bool runInvocation(std::shared_ptr<CompilerInvocation> Invocation, FileManager *Files,
                     std::shared_ptr<PCHContainerOperations> PCHContainerOps,
                     DiagnosticConsumer *DiagConsumer) override {
    // As clang-tidy: define __clang_analyzer__.
    Invocation->getPreprocessorOpts().SetUpStaticAnalyzer = true;
    if (!Hook)
      return FrontendActionFactory::runInvocation(std::move(Invocation), Files,
                                                  std::move(PCHContainerOps), DiagConsumer);
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS = Files->getVirtualFileSystemPtr();
    Hook->prepare(*Invocation, FS);
    if (FS == Files->getVirtualFileSystemPtr())
      return FrontendActionFactory::runInvocation(std::move(Invocation), Files,
                                                  std::move(PCHContainerOps), DiagConsumer);
    // The hook laid something over the files: a file manager that sees it.
    llvm::IntrusiveRefCntPtr<FileManager> Hooked(new FileManager(Files->getFileSystemOpts(), FS));
    return FrontendActionFactory::runInvocation(std::move(Invocation), Hooked.get(),
                                                std::move(PCHContainerOps), DiagConsumer);
  }

private:
  class Action : public ASTFrontendAction {
  public:
    explicit Action(ClangTidyASTConsumerFactory &Factory) : Factory(Factory) {}
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                   StringRef File) override {
      return Factory.createASTConsumer(CI, File);
    }

  private:
    ClangTidyASTConsumerFactory &Factory;
  };

  ClangTidyASTConsumerFactory ConsumerFactory;
  InvocationHook *Hook;
};

llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem>
makeFileSystem(const FileOverlays &Overlays) {
  // A physical file system of our own: its working directory is private,
  // where getRealFileSystem() would share the process's between threads.
  auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::createPhysicalFileSystem());
  if (!Overlays.empty()) {
    auto Memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
    for (const auto &[Path, Contents] : Overlays)
      Memory->addFile(Path, /*ModificationTime=*/0,
                      llvm::MemoryBuffer::getMemBufferCopy(Contents, Path));
    FS->pushOverlay(Memory);
  }
  return FS;
}

Level levelOf(const ClangTidyError &E) {
  if (E.IsWarningAsError)
    return Level::Error;
  switch (E.DiagLevel) {
  case tooling::Diagnostic::Remark:
    return Level::Remark;
  case tooling::Diagnostic::Warning:
    return Level::Warning;
  case tooling::Diagnostic::Error:
    return Level::Error;
  }
  return Level::Warning;
}

bool isCompilerDiagnostic(const ClangTidyError &E) {
  return StringRef(E.DiagnosticName).starts_with("clang-diagnostic-");
}

/// Turns clang-tidy's offset-based errors into Diagnostics, with the
/// analyzer's facts of each finding: its function, which notes are steps of
/// its path, its fix-its. A diagnostic the analyzer did not make (the
/// compiler's) has no path and no fix-it here.
class Converter {
public:
  Converter(SourceFiles &Sources, const AnalyzerFacts &Facts)
      : Sources(Sources), Facts(Facts) {}

  Diagnostic convert(const ClangTidyError &E) {
    Diagnostic D;
    D.Check = E.DiagnosticName;
    D.Severity = levelOf(E);
    D.Message = E.Message.Message;
    D.Loc = locate(E.Message.FilePath, E.Message.FileOffset, E.BuildDirectory,
                   &E.Message.Ranges);
    D.Ranges = ranges(E.Message.Ranges, E.BuildDirectory);
    if (const SourceText *T = D.Loc.File.empty() ? nullptr : Sources.get(D.Loc.File))
      D.LineText = T->lineText(D.Loc.Begin.Line).str();
    const AnalyzerFacts::Facts *Found =
        D.Loc.File.empty() ? nullptr : Facts.lookup(D.Check, D.Loc.File, D.Loc.Begin.Offset);
    std::vector<bool> OnPath(E.Notes.size(), false);
    if (Found) {
      D.Context = Found->Function;
      std::vector<std::string> Messages;
      for (const tooling::DiagnosticMessage &N : E.Notes)
        Messages.push_back(N.Message);
      OnPath = Found->onPath(Messages);
    }
    for (unsigned I = 0; I < E.Notes.size(); ++I) {
      const tooling::DiagnosticMessage &N = E.Notes[I];
      Note Out;
      Out.Loc = locate(N.FilePath, N.FileOffset, E.BuildDirectory, &N.Ranges);
      Out.Ranges = ranges(N.Ranges, E.BuildDirectory);
      Out.Message = N.Message;
      Out.OnPath = OnPath[I] && !Out.Loc.File.empty();
      D.Notes.push_back(std::move(Out));
    }
    if (!Found)
      return D;
    for (const auto &FileAndReplacements : E.Message.Fix) {
      for (const tooling::Replacement &R : FileAndReplacements.second) {
        if (!R.isApplicable())
          continue;
        std::string File = normalizePath(R.getFilePath(), E.BuildDirectory);
        const SourceText *T = Sources.get(File);
        if (!T || R.getOffset() + R.getLength() > T->text().size()) {
          D.Fixes.clear(); // a fix that cannot be placed is no fix
          break;
        }
        D.Fixes.push_back({File, T->position(R.getOffset()),
                           T->position(R.getOffset() + R.getLength()),
                           R.getReplacementText().str()});
      }
    }
    std::sort(D.Fixes.begin(), D.Fixes.end(), [](const Replacement &A, const Replacement &B) {
      return std::tie(A.File, A.Begin.Offset, A.End.Offset) <
             std::tie(B.File, B.Begin.Offset, B.End.Offset);
    });
    return D;
  }

private:
  /// The anchor at Offset, to the end of the highlighted range: the first
  /// of clang-tidy's ranges that holds the anchor (others may mark other
  /// places), else the anchor's token.
  Location locate(StringRef Path, unsigned Offset, StringRef BuildDir,
                  const llvm::SmallVector<FileByteRange, 1> *Ranges) {
    Location L;
    if (Path.empty())
      return L;
    L.File = normalizePath(Path, BuildDir);
    const SourceText *T = Sources.get(L.File);
    if (!T)
      return L;
    L.Begin = T->position(Offset);
    unsigned End = T->tokenEnd(Offset);
    if (Ranges)
      for (const FileByteRange &R : *Ranges)
        if (normalizePath(R.FilePath, BuildDir) == L.File && R.FileOffset <= Offset &&
            Offset < R.FileOffset + R.Length) {
          End = R.FileOffset + R.Length;
          break;
        }
    L.End = T->position(End);
    return L;
  }

  /// clang-tidy's ranges of a message, in its order; those in files that
  /// cannot be read are left out.
  std::vector<Location> ranges(const llvm::SmallVector<FileByteRange, 1> &Ranges,
                               StringRef BuildDir) {
    std::vector<Location> Out;
    for (const FileByteRange &R : Ranges) {
      Location L;
      L.File = normalizePath(R.FilePath, BuildDir);
      const SourceText *T = Sources.get(L.File);
      if (!T)
        continue;
      L.Begin = T->position(R.FileOffset);
      L.End = T->position(R.FileOffset + R.Length);
      Out.push_back(std::move(L));
    }
    return Out;
  }

  SourceFiles &Sources;
  const AnalyzerFacts &Facts;
};

/// What both cache keys start with: the tool, the configuration and the
/// checks for this file, the commands' working directories. False if the
/// configuration's models cannot be read (then nothing is cached).
bool addToolAndConfiguration(PreprocessedHasher &Hasher, const std::string &File,
                             const std::vector<CompileCommand> &Commands,
                             ClangTidyContext &Context) {
  Hasher.add(ChanlintVersion);
  Hasher.add(CLANG_VERSION_STRING);
  Hasher.add(executableIdentity());
  Context.setCurrentFile(File);
  Hasher.add(configurationAsText(Context.getOptions()));
  // The models' content, not only the paths the configuration names.
  auto Models = modelsOf(Context.getOptions(), File);
  if (!Models) {
    llvm::consumeError(Models.takeError()); // not cached: the analysis says why
    return false;
  }
  Hasher.add(Models->fingerprint());
  for (const std::string &C : getCheckNames(Context.getOptions(), false))
    Hasher.add(C);
  for (const CompileCommand &C : Commands)
    Hasher.add(C.Directory);
  return true;
}

/// The cache key of a TU: the tool, the configuration, the commands as they
/// will run, and the preprocessed TU; with what the preprocessor read and
/// searched to get it. nullopt if it does not preprocess.
std::optional<CacheManifest> preprocessedKey(const CompilationDatabase &DB,
                                             const std::string &File,
                                             const std::vector<CompileCommand> &Commands,
                                             llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> FS,
                                             ClangTidyContext &Context,
                                             const std::string &ResourceDir) {
  PreprocessedHasher Hasher;
  Hasher.add("chanlint-cache-v1");
  if (!addToolAndConfiguration(Hasher, File, Commands, Context))
    return std::nullopt;
  ClangTool Tool(DB, {File}, std::make_shared<PCHContainerOperations>(), std::move(FS));
  configureTool(Tool, Context, ResourceDir);
  Tool.appendArgumentsAdjuster([&](const CommandLineArguments &Args, StringRef) {
    for (const std::string &A : Args)
      Hasher.add(A);
    return Args;
  });
  IgnoringDiagConsumer Ignore;
  Tool.setDiagnosticConsumer(&Ignore);
  if (Tool.run(&Hasher) != 0)
    return std::nullopt;
  CacheManifest Inputs = std::move(Hasher.inputs());
  Inputs.Key = Hasher.finish();
  return Inputs;
}

/// The key of the cache's fast path (CacheManifest.h): the commands as
/// written (what the tool adds to them follows from the configuration) and
/// the main file. nullopt if the main file cannot be read.
std::optional<std::string> directKey(const std::string &File,
                                     const std::vector<CompileCommand> &Commands,
                                     llvm::vfs::FileSystem &FS, ClangTidyContext &Context,
                                     const std::string &ResourceDir) {
  auto Main = FS.getBufferForFile(File);
  if (!Main)
    return std::nullopt;
  PreprocessedHasher Hasher;
  Hasher.add("chanlint-direct-v1");
  if (!addToolAndConfiguration(Hasher, File, Commands, Context))
    return std::nullopt;
  Hasher.add(ResourceDir);
  for (const CompileCommand &C : Commands) {
    Hasher.add(C.Filename);
    for (const std::string &A : C.CommandLine)
      Hasher.add(A);
  }
  Hasher.add(File);
  Hasher.add((*Main)->getBuffer());
  return Hasher.finish();
}

} // namespace

Runner::Runner(std::shared_ptr<const CompilationDatabase> DB, OptionsFactory Options,
               RunnerOptions Settings)
    : DB(std::move(DB)), Options(std::move(Options)), Settings(std::move(Settings)) {
  if (this->Settings.ResourceDir.empty())
    this->Settings.ResourceDir = defaultResourceDir();
}

llvm::Expected<std::unique_ptr<Runner>>
Runner::create(std::shared_ptr<const CompilationDatabase> DB, RunnerOptions Settings) {
  if (!DB)
    return llvm::createStringError("no compilation database");
  auto Options = OptionsFactory::create(Settings.Tidy);
  if (!Options)
    return Options.takeError();
  return std::unique_ptr<Runner>(new Runner(std::move(DB), std::move(*Options),
                                            std::move(Settings)));
}

std::vector<std::string> Runner::enabledChecks(StringRef File) const {
  auto Provider = Options.makeProvider(makeFileSystem({}));
  return clang::tidy::getCheckNames(Provider->getOptions(File),
                                    /*AllowEnablingAnalyzerAlphaCheckers=*/false);
}

ClangTidyOptions Runner::effectiveOptions(StringRef File) const {
  return Options.makeProvider(makeFileSystem({}))->getOptions(File);
}

TUResult Runner::analyze(StringRef FileArg, const FileOverlays &Overlays,
                         InvocationHook *Hook) const {
  auto Start = std::chrono::steady_clock::now();
  TUResult R;
  R.File = normalizePath(FileArg);
  std::vector<CompileCommand> Commands = DB->getCompileCommands(R.File);
  if (Commands.empty()) {
    R.Failed = true;
    R.FailureReason = "no compile command for this file";
    return R;
  }
  R.BuildDirectory = Commands.front().Directory;

  auto FS = makeFileSystem(Overlays);
  if (!FS->exists(R.File)) {
    R.Failed = true;
    R.FailureReason = "file not found";
    return R;
  }
  ClangTidyContext Context(Options.makeProvider(FS));

  std::string Key, Direct;
  std::optional<CacheManifest> Inputs; // recorded by a preprocessing, to store
  if (Settings.Cache) {
    Direct = directKey(R.File, Commands, *FS, Context, Settings.ResourceDir).value_or("");
    std::optional<CacheManifest> Known =
        Direct.empty() ? std::nullopt : Settings.Cache->lookupManifest(Direct);
    bool Unpreprocessed = Known && Known->stillHolds(*FS);
    if (Unpreprocessed)
      Key = Known->Key; // nothing it was computed from changed: no preprocessing
    else if ((Inputs = preprocessedKey(*DB, R.File, Commands, FS, Context, Settings.ResourceDir)))
      Key = Inputs->Key;
    if (Key.empty()) {
      ++Stats.CacheSkipped; // it will fail to parse too; never cached
    } else if (std::optional<TUResult> Hit = Settings.Cache->lookup(Key)) {
      ++Stats.CacheHits;
      Stats.CacheHitsUnpreprocessed += Unpreprocessed;
      if (Inputs && !Direct.empty())
        Settings.Cache->storeManifest(Direct, *Inputs); // the fast path next time
      Hit->FromCache = true;
      Hit->Seconds = 0;
      return std::move(*Hit);
    } else {
      ++Stats.CacheMisses;
    }
  }

  ClangTool Tool(*DB, {R.File}, std::make_shared<PCHContainerOperations>(), FS);
  configureTool(Tool, Context, Settings.ResourceDir);
  ClangTidyDiagnosticConsumer TidyConsumer(Context, /*ExternalDiagEngine=*/nullptr,
                                           /*RemoveIncompatibleErrors=*/true,
                                           /*GetFixesFromNotes=*/false);
  DiagnosticsEngine DE(new DiagnosticIDs(), new DiagnosticOptions(), &TidyConsumer,
                       /*ShouldOwnClient=*/false);
  Context.setDiagnosticsEngine(&DE);
  Tool.setDiagnosticConsumer(&TidyConsumer);

  AnalyzerFacts Facts; // the analyses run on this thread, inside Tool.run
  TidyActionFactory Factory(Context, Hook);
  int Status = Tool.run(&Factory);
  ++Stats.Analysed;
  std::vector<ClangTidyError> Errors = TidyConsumer.take(); // counts the last one's fate
  const ClangTidyStats &Dropped = Context.getStats();
  R.Suppressed = {Dropped.ErrorsIgnoredNOLINT, Dropped.ErrorsIgnoredNonUserCode,
                  Dropped.ErrorsIgnoredLineFilter, Dropped.ErrorsIgnoredCheckFilter};

  SourceFiles Sources(FS);
  Converter Convert(Sources, Facts);
  for (const ClangTidyError &E : Errors) {
    if (isCompilerDiagnostic(E) && E.DiagLevel == tooling::Diagnostic::Error)
      R.CompilerErrors.push_back(Convert.convert(E));
    else
      R.Diagnostics.push_back(Convert.convert(E));
  }
  std::sort(R.Diagnostics.begin(), R.Diagnostics.end(), diagnosticLess);
  std::sort(R.CompilerErrors.begin(), R.CompilerErrors.end(), diagnosticLess);
  // Each compile command of the file ran the analysis: one notice per bound hit.
  for (const AnalyzerFacts::Bound &B : Facts.bounds()) {
    BoundNotice N{BoundHit::name(B.Hit.Bound), B.Hit.Limit, B.Hit.Root, B.Hit.Message, {}};
    N.Loc.File = B.File;
    if (const SourceText *T = B.File.empty() ? nullptr : Sources.get(B.File)) {
      N.Loc.Begin = T->position(B.Offset);
      N.Loc.End = T->position(T->tokenEnd(B.Offset));
    }
    R.Bounds.push_back(std::move(N));
  }
  std::sort(R.Bounds.begin(), R.Bounds.end(), boundNoticeLess);
  R.Bounds.erase(std::unique(R.Bounds.begin(), R.Bounds.end()), R.Bounds.end());
  if (!R.CompilerErrors.empty()) {
    R.Failed = true;
    R.FailureReason = std::to_string(R.CompilerErrors.size()) + " compiler error" +
                      (R.CompilerErrors.size() == 1 ? "" : "s");
  } else if (Status != 0) {
    R.Failed = true;
    R.FailureReason = "the compiler could not process this file";
  }
  R.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();

  if (Settings.Cache && !Key.empty() && !R.Failed) {
    Settings.Cache->store(Key, R);
    if (Inputs && !Direct.empty())
      Settings.Cache->storeManifest(Direct, *Inputs);
  }
  return R;
}

std::vector<TUResult> Runner::analyzeAll(llvm::ArrayRef<std::string> Files, unsigned Jobs,
                                         const ProgressCallback &Progress,
                                         const FileOverlays &Overlays) const {
  // A TU given up on is still analysed after this call: its inputs are its own.
  auto Inputs = std::make_shared<std::pair<std::vector<std::string>, FileOverlays>>(
      std::vector<std::string>(Files.begin(), Files.end()), Overlays);
  unsigned Limit = Settings.TUTimeLimit;
  WatchedJobs Batch;
  Batch.Count = Files.size();
  Batch.Threads = Jobs ? Jobs : llvm::hardware_concurrency().compute_thread_count();
  Batch.LimitSeconds = Limit;
  Batch.Run = [this, Inputs](size_t I) { return analyze(Inputs->first[I], Inputs->second); };
  Batch.Overran = [&](size_t I, double Seconds) {
    TUResult R;
    R.File = normalizePath(Files[I]);
    R.Failed = R.TimedOut = true;
    R.FailureReason = "exceeded the time limit of " + std::to_string(Limit) + " s";
    R.Seconds = Seconds;
    return R;
  };
  if (Progress)
    Batch.Progress = [&](WatchedJobs::Event E, size_t I, unsigned Done) {
      ProgressEvent::Kind K = E == WatchedJobs::Started    ? ProgressEvent::Started
                              : E == WatchedJobs::Finished ? ProgressEvent::Finished
                                                           : ProgressEvent::TimedOut;
      Progress({K, Files[I], Done, unsigned(Files.size())});
    };
  return runWatched(Batch);
}

} // namespace chanlint::driver
