#include "CompilationDatabase.h"

#include "SourceText.h"

#include "clang/Tooling/JSONCompilationDatabase.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

using namespace clang::tooling;

namespace chanlint::driver {

namespace {

llvm::Expected<std::unique_ptr<CompilationDatabase>> loadJson(llvm::StringRef Path) {
  std::string Error;
  auto DB = JSONCompilationDatabase::loadFromFile(Path, Error,
                                                  JSONCommandLineSyntax::AutoDetect);
  if (!DB)
    return llvm::createStringError("cannot load %s: %s", Path.str().c_str(),
                                   Error.c_str());
  return std::unique_ptr<CompilationDatabase>(std::move(DB));
}

llvm::Expected<std::unique_ptr<CompilationDatabase>> loadFlags(llvm::StringRef Path) {
  std::string Error;
  auto DB = FixedCompilationDatabase::loadFromFile(Path, Error);
  if (!DB)
    return llvm::createStringError("cannot load %s: %s", Path.str().c_str(),
                                   Error.c_str());
  return std::unique_ptr<CompilationDatabase>(std::move(DB));
}

/// What clang's tools put around a database: @file expansion, the target
/// and driver mode from the compiler's name, interpolation for headers.
std::shared_ptr<const CompilationDatabase> wrap(std::unique_ptr<CompilationDatabase> DB) {
  auto Expanded = expandResponseFiles(std::move(DB), llvm::vfs::getRealFileSystem());
  return inferTargetAndDriverMode(inferMissingCompileCommands(std::move(Expanded)));
}

} // namespace

bool isHeaderFile(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  return llvm::StringSwitch<bool>(Ext.lower())
      .Cases(".h", ".hh", ".hpp", ".hxx", ".h++", ".inc", ".ipp", ".tpp", true)
      .Default(false);
}

bool isSourceFile(llvm::StringRef Path) {
  llvm::StringRef Ext = llvm::sys::path::extension(Path);
  if (Ext == ".C")
    return true;
  return llvm::StringSwitch<bool>(Ext.lower())
      .Cases(".c", ".cc", ".cp", ".cpp", ".cxx", ".c++", ".cppm", ".ixx", true)
      .Default(false);
}

llvm::Expected<LoadedDatabase>
loadCompilationDatabase(llvm::StringRef BuildPath,
                        std::unique_ptr<CompilationDatabase> Fixed,
                        llvm::ArrayRef<std::string> Files) {
  if (Fixed) {
    if (!BuildPath.empty())
      return llvm::createStringError("give either -p or flags after '--', not both");
    return LoadedDatabase{wrap(std::move(Fixed)), ""};
  }

  if (!BuildPath.empty()) {
    std::string Path = normalizePath(BuildPath);
    if (llvm::sys::fs::is_directory(Path)) {
      llvm::SmallString<256> Json(Path);
      llvm::sys::path::append(Json, "compile_commands.json");
      llvm::SmallString<256> FlagsTxt(Path);
      llvm::sys::path::append(FlagsTxt, "compile_flags.txt");
      if (llvm::sys::fs::exists(Json)) {
        auto DB = loadJson(Json);
        if (!DB)
          return DB.takeError();
        return LoadedDatabase{wrap(std::move(*DB)), Path};
      }
      if (llvm::sys::fs::exists(FlagsTxt)) {
        auto DB = loadFlags(FlagsTxt);
        if (!DB)
          return DB.takeError();
        return LoadedDatabase{wrap(std::move(*DB)), Path};
      }
      return llvm::createStringError(
          "no compile_commands.json in '%s' (configure with "
          "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON)",
          Path.c_str());
    }
    if (llvm::sys::fs::exists(Path)) {
      auto DB = llvm::sys::path::filename(Path) == "compile_flags.txt" ? loadFlags(Path)
                                                                       : loadJson(Path);
      if (!DB)
        return DB.takeError();
      return LoadedDatabase{wrap(std::move(*DB)),
                            std::string(llvm::sys::path::parent_path(Path))};
    }
    return llvm::createStringError("-p: '%s' does not exist", Path.c_str());
  }

  if (Files.empty())
    return llvm::createStringError(
        "no compilation database: give -p <build-dir>, source files, or "
        "compile flags after '--'");
  // Like clang-tidy: look upward from the first file.
  std::string First = normalizePath(Files.front());
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(First); !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallString<256> Json(Dir);
    llvm::sys::path::append(Json, "compile_commands.json");
    if (llvm::sys::fs::exists(Json)) {
      auto DB = loadJson(Json);
      if (!DB)
        return DB.takeError();
      return LoadedDatabase{wrap(std::move(*DB)), Dir.str()};
    }
    llvm::SmallString<256> FlagsTxt(Dir);
    llvm::sys::path::append(FlagsTxt, "compile_flags.txt");
    if (llvm::sys::fs::exists(FlagsTxt)) {
      auto DB = loadFlags(FlagsTxt);
      if (!DB)
        return DB.takeError();
      return LoadedDatabase{wrap(std::move(*DB)), Dir.str()};
    }
  }
  return llvm::createStringError(
      "no compilation database found upward from '%s': give -p <build-dir>, "
      "or compile flags after '--' (e.g. -- -std=c++20 -Iinclude)",
      First.c_str());
}

bool hasCompileCommand(const CompilationDatabase &DB, llvm::StringRef File) {
  std::vector<CompileCommand> Commands = DB.getCompileCommands(File);
  if (Commands.empty())
    return false;
  if (isHeaderFile(File))
    return true;
  return llvm::any_of(Commands,
                      [](const CompileCommand &C) { return C.Heuristic.empty(); });
}

std::vector<std::string> allSourceFiles(const CompilationDatabase &DB) {
  std::vector<std::string> Files;
  for (const CompileCommand &C : DB.getAllCompileCommands()) {
    std::string Path = normalizePath(C.Filename, C.Directory);
    if (isSourceFile(Path))
      Files.push_back(std::move(Path));
  }
  std::sort(Files.begin(), Files.end());
  Files.erase(std::unique(Files.begin(), Files.end()), Files.end());
  return Files;
}

} // namespace chanlint::driver
