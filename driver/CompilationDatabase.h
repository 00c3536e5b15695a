// Finding the compile commands, the way clang-tidy does: `-p <build-dir>`
// (a directory holding compile_commands.json, or the file itself), flags
// after `--` (a fixed database), or else a compile_commands.json or
// compile_flags.txt found upward from the first source file.
#pragma once

#include "clang/Tooling/CompilationDatabase.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace chanlint::driver {

struct LoadedDatabase {
  std::shared_ptr<const clang::tooling::CompilationDatabase> DB;
  /// The directory of compile_commands.json; "" for flags after `--`.
  std::string Directory;
};

/// Fixed: the database built from flags after `--` (may be null). Headers
/// without a command of their own get one interpolated from a neighbour,
/// as in clangd; sources do not (see hasCompileCommand).
llvm::Expected<LoadedDatabase>
loadCompilationDatabase(llvm::StringRef BuildPath,
                        std::unique_ptr<clang::tooling::CompilationDatabase> Fixed,
                        llvm::ArrayRef<std::string> Files);

bool isHeaderFile(llvm::StringRef Path);
/// C and C++ sources: what "every file of the database" means.
bool isSourceFile(llvm::StringRef Path);

/// A source file needs a command of its own (an interpolated one would
/// guess its flags); a header may use an interpolated one.
bool hasCompileCommand(const clang::tooling::CompilationDatabase &DB,
                       llvm::StringRef File);

/// Every C/C++ source file of the database, absolute, sorted, unique.
std::vector<std::string> allSourceFiles(const clang::tooling::CompilationDatabase &DB);

} // namespace chanlint::driver
