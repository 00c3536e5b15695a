#include "CompileCommandResolver.h"

#include "CompilationDatabase.h"
#include "FallbackDatabase.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace chanlint::lsp {

std::string compilationDatabaseIn(llvm::StringRef Dir) {
  // clangd's order: a database beats flags, and CMake's usual build
  // directory is as good as the directory itself.
  for (const char *Name : {"compile_commands.json", "build/compile_commands.json",
                           "compile_flags.txt"}) {
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, llvm::sys::path::Style::posix, Name);
    llvm::sys::path::native(Path);
    if (llvm::sys::fs::is_regular_file(Path))
      return std::string(Path);
  }
  return "";
}

std::string findCompilationDatabase(llvm::StringRef File) {
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(File); !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir))
    if (std::string Found = compilationDatabaseIn(Dir); !Found.empty())
      return Found;
  return "";
}

CompileCommandResolver::CompileCommandResolver(ResolverSettings Settings,
                                               std::function<void(const std::string &)> Warn)
    : Settings(std::move(Settings)), Warn(std::move(Warn)) {}

std::shared_ptr<const driver::Runner>
CompileCommandResolver::runnerFor(const std::string &DatabaseFile) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(DatabaseFile, Status))
    return nullptr;
  auto It = Runners.find(DatabaseFile);
  if (It != Runners.end() && It->second.ModificationTime == Status.getLastModificationTime())
    return It->second.Runner;

  LoadedRunner Loaded{Status.getLastModificationTime(), nullptr};
  auto Database = driver::loadCompilationDatabase(DatabaseFile, nullptr, {});
  if (!Database) {
    Warn("cannot use " + DatabaseFile + ": " + llvm::toString(Database.takeError()));
  } else if (auto Runner = driver::Runner::create(Database->DB, Settings.Runner); !Runner) {
    Warn("cannot analyse with " + DatabaseFile + ": " + llvm::toString(Runner.takeError()));
  } else {
    Loaded.Runner = std::move(*Runner);
  }
  Runners[DatabaseFile] = Loaded;
  return Loaded.Runner;
}

CompileCommandResolver::Choice CompileCommandResolver::fallback() {
  if (!FallbackRunner && FallbackError.empty()) {
    std::shared_ptr<const clang::tooling::CompilationDatabase> DB = Settings.FallbackOverride;
    if (!DB)
      DB = std::make_shared<FallbackDatabase>(Settings.FallbackDirectory, Settings.FallbackFlags);
    if (auto Runner = driver::Runner::create(DB, Settings.Runner))
      FallbackRunner = std::move(*Runner);
    else
      FallbackError = llvm::toString(Runner.takeError());
  }
  if (!FallbackRunner)
    return {nullptr, "fallback flags", FallbackError};
  return {FallbackRunner, "fallback flags", ""};
}

CompileCommandResolver::Choice CompileCommandResolver::resolve(const std::string &File) {
  std::lock_guard<std::mutex> Lock(Mutex);
  std::vector<std::string> Candidates;
  if (!Settings.DatabasePath.empty()) {
    std::string Configured = llvm::sys::fs::is_directory(Settings.DatabasePath)
                                 ? compilationDatabaseIn(Settings.DatabasePath)
                                 : Settings.DatabasePath;
    if (!Configured.empty() && llvm::sys::fs::is_regular_file(Configured)) {
      Candidates.push_back(Configured);
    } else if (!WarnedAboutDatabasePath) {
      WarnedAboutDatabasePath = true;
      Warn("compilationDatabasePath '" + Settings.DatabasePath +
           "' holds no compile_commands.json (nor build/compile_commands.json) or "
           "compile_flags.txt; searching upward "
           "from each file instead");
    }
  }
  if (std::string Found = findCompilationDatabase(File); !Found.empty())
    Candidates.push_back(Found);

  for (const std::string &DatabaseFile : Candidates) {
    std::shared_ptr<const driver::Runner> Runner = runnerFor(DatabaseFile);
    if (!Runner)
      continue;
    std::vector<clang::tooling::CompileCommand> Commands =
        Runner->database().getCompileCommands(File);
    if (Commands.empty())
      continue;
    bool Interpolated = !Commands.front().Heuristic.empty();
    return {Runner, DatabaseFile + (Interpolated ? " (interpolated)" : ""), ""};
  }
  return fallback();
}

} // namespace chanlint::lsp
