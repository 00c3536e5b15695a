// chanlint: the command line. See docs/driver.md.
#include "Driver.h"
#include "LanguageServerMain.h"
#include "Options.h"

#include "clang/Tooling/CompilationDatabase.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace chanlint::driver;

int main(int Argc, const char **Argv) {
  llvm::InitLLVM Init(Argc, Argv);

  if (Argc > 1 && std::strcmp(Argv[1], "merge") == 0)
    return runMerge(Argc - 1, Argv + 1);

  // Flags after `--` make a fixed compilation database, as in clang-tidy;
  // it takes them out of argv before the options are parsed.
  llvm::SmallString<256> Cwd;
  llvm::sys::fs::current_path(Cwd);
  std::string Error;
  std::unique_ptr<clang::tooling::CompilationDatabase> Fixed =
      clang::tooling::FixedCompilationDatabase::loadFromCommandLine(Argc, Argv, Error, Cwd);
  if (!Error.empty()) {
    llvm::StringRef Message = llvm::StringRef(Error).trim();
    Message.consume_front("error: ");
    llvm::errs() << "chanlint: error: in the compile flags after '--': " << Message << "\n";
    return ExitUsage;
  }

  std::optional<CliOptions> Options = parseCommandLine(Argc, Argv);
  if (!Options)
    return ExitUsage;
  if (Options->Lsp)
    return chanlint::lsp::runLanguageServer(*Options, std::move(Fixed));
  return runChanlint(*Options, std::move(Fixed));
}
