#include "PreambleStore.h"

#include "SourceText.h"

#include "clang/Basic/DiagnosticOptions.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "clang/Serialization/PCHContainerOperations.h"

#include "llvm/Support/VirtualFileSystem.h"

#include <chrono>
#include <optional>

namespace chanlint::lsp {

using namespace clang;

struct PreambleStore::Entry {
  std::vector<std::string> Command; ///< the cc1 command line it was built for
  std::unique_ptr<PrecompiledPreamble> Preamble;
  /// Why it is not applied; "" when it is.
  std::string Unusable;
  /// Every file the preamble read, with its unsaved text if it was an open
  /// buffer then.
  std::vector<std::pair<std::string, std::optional<std::string>>> Files;
};

namespace {

/// Counts what a preamble's build reports; the first message says why.
class DiagnosticCounter : public DiagnosticConsumer {
public:
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Seen)
      return;
    Seen = true;
    llvm::SmallString<128> Message;
    Info.FormatDiagnostic(Message);
    First = Message.str().str();
  }
  bool Seen = false;
  std::string First;
};

/// Lists the files the preamble's build read, main file aside.
class FileRecorder : public PreambleCallbacks {
public:
  explicit FileRecorder(std::string MainFile) : MainFile(std::move(MainFile)) {}

  void AfterExecute(CompilerInstance &CI) override {
    SourceManager &SM = CI.getSourceManager();
    llvm::ErrorOr<std::string> Cwd =
        CI.getFileManager().getVirtualFileSystem().getCurrentWorkingDirectory();
    for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
      std::string File = driver::normalizePath(It->first.getName(), Cwd ? *Cwd : "");
      if (File != MainFile)
        Files.push_back(std::move(File));
    }
  }

  std::string MainFile;
  std::vector<std::string> Files;
};

std::string seconds(std::chrono::steady_clock::duration D) {
  char Buffer[32];
  std::snprintf(Buffer, sizeof Buffer, "%.2f s", std::chrono::duration<double>(D).count());
  return Buffer;
}

std::string megabytes(std::size_t Bytes) {
  char Buffer[32];
  std::snprintf(Buffer, sizeof Buffer, "%.1f MB", Bytes / 1e6);
  return Buffer;
}

} // namespace

PreambleStore::PreambleStore() = default;
PreambleStore::~PreambleStore() = default;

std::unique_ptr<PreambleStore::Use> PreambleStore::use(const std::string &Path,
                                                       const driver::FileOverlays &Overlays) {
  std::lock_guard<std::mutex> Lock(Mutex);
  Document &D = Documents[Path];
  return std::unique_ptr<Use>(new Use(*this, Path, Overlays, D.Entries, D.Generation));
}

void PreambleStore::forget(const std::string &Path) {
  std::lock_guard<std::mutex> Lock(Mutex);
  auto It = Documents.find(Path);
  if (It == Documents.end())
    return;
  It->second.Entries.clear();
  ++It->second.Generation;
}

PreambleStore::Counts PreambleStore::counts() const {
  std::lock_guard<std::mutex> Lock(Mutex);
  return Totals;
}

void PreambleStore::keep(const std::string &Path, std::uint64_t Generation,
                         std::vector<std::shared_ptr<const Entry>> Entries) {
  std::lock_guard<std::mutex> Lock(Mutex);
  Document &D = Documents[Path];
  if (D.Generation == Generation)
    D.Entries = std::move(Entries);
}

PreambleStore::Use::Use(PreambleStore &Store, std::string Path, driver::FileOverlays Overlays,
                        std::vector<std::shared_ptr<const Entry>> Kept, std::uint64_t Generation)
    : Store(Store), Path(std::move(Path)), Overlays(std::move(Overlays)), Kept(std::move(Kept)),
      Generation(Generation) {}

PreambleStore::Use::~Use() { Store.keep(Path, Generation, std::move(Used)); }

std::shared_ptr<const PreambleStore::Entry>
PreambleStore::Use::kept(const std::vector<std::string> &Command) const {
  for (const std::shared_ptr<const Entry> &E : Kept)
    if (E->Command == Command)
      return E;
  return nullptr;
}

std::string PreambleStore::Use::staleness(const Entry &E, const CompilerInvocation &Invocation,
                                          const llvm::MemoryBuffer &Main, unsigned PreambleSize,
                                          bool EndsAtStartOfLine, llvm::vfs::FileSystem &FS) const {
  PreambleBounds Was = E.Preamble->getBounds();
  if (Was.Size != PreambleSize || Was.PreambleEndsAtStartOfLine != EndsAtStartOfLine ||
      E.Preamble->getContents() != Main.getBuffer().take_front(PreambleSize))
    return "the includes changed";
  for (const auto &[File, Text] : E.Files) {
    auto Now = Overlays.find(File);
    bool Open = Now != Overlays.end();
    if (Open != Text.has_value() || (Open && Now->second != *Text))
      return "an unsaved buffer it includes changed";
  }
  if (!E.Preamble->CanReuse(Invocation, Main.getMemBufferRef(),
                            PreambleBounds(PreambleSize, EndsAtStartOfLine), FS))
    return "a file it includes changed";
  return "";
}

void PreambleStore::Use::prepare(CompilerInvocation &Invocation,
                                 llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> &FS) {
  const FrontendOptions &Frontend = Invocation.getFrontendOpts();
  if (Frontend.Inputs.size() != 1 || !Frontend.Inputs[0].isFile()) {
    Outcomes.push_back("none: the command does not compile one source file");
    return;
  }
  std::string MainFile = Frontend.Inputs[0].getFile().str();
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Main = FS->getBufferForFile(MainFile);
  if (!Main) {
    Outcomes.push_back("none: cannot read the file: " + Main.getError().message());
    return;
  }
  PreambleBounds Bounds = ComputePreambleBounds(Invocation.getLangOpts(), **Main, 0);
  if (Bounds.Size == 0) {
    Outcomes.push_back("none: the file starts with code");
    return;
  }

  std::vector<std::string> Command = Invocation.getCC1CommandLine();
  std::shared_ptr<const Entry> E = kept(Command);
  std::string Rebuild = !E ? (Kept.empty() ? "first analysis" : "the compile command changed")
                           : staleness(*E, Invocation, **Main, Bounds.Size,
                                       Bounds.PreambleEndsAtStartOfLine, *FS);
  if (!Rebuild.empty()) {
    DiagnosticCounter Reported;
    IntrusiveRefCntPtr<DiagnosticsEngine> Diags = CompilerInstance::createDiagnostics(
        &Invocation.getDiagnosticOpts(), &Reported, /*ShouldOwnClient=*/false);
    llvm::ErrorOr<std::string> Cwd = FS->getCurrentWorkingDirectory();
    FileRecorder Recorder(driver::normalizePath(MainFile, Cwd ? *Cwd : ""));
    auto Start = std::chrono::steady_clock::now();
    llvm::ErrorOr<PrecompiledPreamble> Built = PrecompiledPreamble::Build(
        Invocation, Main->get(), Bounds, *Diags, FS, std::make_shared<PCHContainerOperations>(),
        /*StoreInMemory=*/true, /*StoragePath=*/"", Recorder);
    auto Took = std::chrono::steady_clock::now() - Start;
    {
      std::lock_guard<std::mutex> Lock(Store.Mutex);
      ++Store.Totals.Built;
    }
    if (!Built) {
      Outcomes.push_back("not used: building it failed (" + Built.getError().message() + ")");
      return;
    }
    auto Fresh = std::make_shared<Entry>();
    Fresh->Command = std::move(Command);
    Fresh->Preamble = std::make_unique<PrecompiledPreamble>(std::move(*Built));
    if (Reported.Seen)
      Fresh->Unusable = "its build reported a diagnostic (" + Reported.First +
                        "), so the whole file is parsed";
    for (std::string &File : Recorder.Files) {
      auto Open = Overlays.find(File);
      Fresh->Files.emplace_back(std::move(File), Open == Overlays.end()
                                                     ? std::nullopt
                                                     : std::optional<std::string>(Open->second));
    }
    Outcomes.push_back("built in " + seconds(Took) + " (" + Rebuild + "), " +
                       megabytes(Fresh->Preamble->getSize()));
    E = std::move(Fresh);
  } else {
    std::lock_guard<std::mutex> Lock(Store.Mutex);
    ++Store.Totals.Reused;
    Outcomes.push_back("reused");
  }
  Used.push_back(E);
  if (!E->Unusable.empty()) {
    Outcomes.back() += "; not used: " + E->Unusable;
    return;
  }
  {
    std::lock_guard<std::mutex> Lock(Store.Mutex);
    ++Store.Totals.Applied;
  }
  // The compiler takes the main file's buffer over (its remapped buffers
  // are not retained by the caller), and lays the PCH over FS.
  E->Preamble->AddImplicitPreamble(Invocation, FS, Main->release());
}

std::string PreambleStore::Use::summary() const {
  if (Outcomes.empty())
    return "none: no compilation ran";
  std::string S;
  for (const std::string &O : Outcomes)
    S += (S.empty() ? "" : "; ") + O;
  return S;
}

} // namespace chanlint::lsp
