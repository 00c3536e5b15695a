#include "FallbackDatabase.h"

#include "llvm/Support/Path.h"

namespace chanlint::lsp {

std::vector<clang::tooling::CompileCommand>
FallbackDatabase::getCompileCommands(llvm::StringRef File) const {
  // clang++ as the compiler's name: C++ driver mode, so that a header
  // opened on its own parses as C++ too.
  std::vector<std::string> Arguments = {"clang++", DefaultLanguageStandard};
  Arguments.insert(Arguments.end(), Flags.begin(), Flags.end());
  Arguments.push_back(File.str());
  std::string Dir =
      Directory.empty() ? llvm::sys::path::parent_path(File).str() : Directory;
  clang::tooling::CompileCommand Command(Dir, File, std::move(Arguments), /*Output=*/"");
  Command.Heuristic = "chanlint's fallback flags";
  return {std::move(Command)};
}

} // namespace chanlint::lsp
