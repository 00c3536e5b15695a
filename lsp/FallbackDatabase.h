// The compile command of a file that no compilation database knows:
//   clang++ -std=c++20 <fallback flags> <file>
// run in Directory (the workspace root, else the file's own directory), so
// that relative flags such as -Iinclude mean the same for every file. Later
// flags win in clang, so a -std= among the fallback flags replaces the
// default.
#pragma once

#include "clang/Tooling/CompilationDatabase.h"

#include <string>
#include <vector>

namespace chanlint::lsp {

inline constexpr const char *DefaultLanguageStandard = "-std=c++20";

class FallbackDatabase : public clang::tooling::CompilationDatabase {
public:
  /// Directory "" means each file's own directory.
  FallbackDatabase(std::string Directory, std::vector<std::string> Flags)
      : Directory(std::move(Directory)), Flags(std::move(Flags)) {}

  std::vector<clang::tooling::CompileCommand>
  getCompileCommands(llvm::StringRef File) const override;

private:
  std::string Directory;
  std::vector<std::string> Flags;
};

} // namespace chanlint::lsp
