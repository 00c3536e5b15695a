// libFuzzer entry point: each input is the text of one C++ source file,
// taken through everything a `chanlint` run does with it, in-process:
// clang parses it (-std=c++20 against the chan headers), the analyzer
// builds its program model and runs every chan-* rule through the driver's
// Runner (the clang-tidy machinery, as `chanlint` and the language server
// use it), and the report is rendered as SARIF, JSON, Code Climate and
// text and round-tripped through the result cache's JSON, all into memory.
// A crash, a sanitizer report, an uncaught exception or a hang anywhere on
// that path is a finding; so is a cached result that reads back different.
//
// Every input is parsed against a precompiled prefix of chan's and the
// common standard headers, built once at start-up: without it an execution
// spends ~2.5 s of CPU (under ASan) re-parsing those headers, and a one-minute
// run gets through little more than its seeds.
//
// The input lives only in an in-memory overlay, at a path inside a private
// directory: nothing is written, and no .clang-tidy file of the machine
// applies (the configuration is given inline).
#include "CodeClimateWriter.h"
#include "JsonText.h"
#include "JsonWriter.h"
#include "Report.h"
#include "ResultJson.h"
#include "Runner.h"
#include "SarifWriter.h"
#include "TextWriter.h"

#include "clang/Tooling/CompilationDatabase.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

using namespace chanlint::driver;

namespace {

struct FuzzSetup {
  std::string Dir;  ///< the compile command's directory (exists, empty)
  std::string File; ///< the input's path (only in the overlay)
  std::unique_ptr<Runner> Run;
};

FuzzSetup *Setup = nullptr;

void removeDirectory() {
  if (Setup)
    llvm::sys::fs::remove_directories(Setup->Dir);
}

/// Builds <Dir>/prefix.pch from chan's header and the standard headers the
/// fixtures use most, with the compiler that built this program (the same
/// clang 19 as the libraries the analysis runs on), and returns the flags
/// that parse an input against it. An input's own `#include <chan/chan.hpp>`
/// then finds the include guard set. If the compiler is missing or fails,
/// says so and returns no flags: the run goes on, slower.
std::vector<std::string> precompiledPrefix(const std::string &Dir,
                                           const std::vector<std::string> &Flags) {
  llvm::SmallString<128> Header(Dir), Pch(Dir);
  llvm::sys::path::append(Header, "prefix.hpp");
  llvm::sys::path::append(Pch, "prefix.pch");
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Header, EC);
    if (EC)
      return {};
    for (const char *H : {"chan/chan.hpp", "atomic", "chrono", "cstdio", "functional", "map",
                          "memory", "mutex", "optional", "stdexcept", "string", "thread",
                          "utility", "vector"})
      OS << "#include <" << H << ">\n";
  }
  std::vector<llvm::StringRef> Args{CHANLINT_CXX, "-x", "c++-header"};
  for (const std::string &F : Flags)
    Args.push_back(F);
  Args.insert(Args.end(), {Header.str(), "-o", Pch.str()});
  std::string Error;
  int Status = llvm::sys::ExecuteAndWait(CHANLINT_CXX, Args, std::nullopt, {}, 0, 0, &Error);
  if (Status != 0) {
    llvm::errs() << "chanlint_fuzz: no precompiled prefix (" << CHANLINT_CXX << " exited "
                 << Status << (Error.empty() ? "" : ": " + Error)
                 << "); every input parses the headers\n";
    return {};
  }
  return {"-include-pch", Pch.str().str()};
}

/// The directory, the compile command and the Runner, once per process.
FuzzSetup *makeSetup() {
  auto S = std::make_unique<FuzzSetup>();
  llvm::SmallString<128> Dir;
  if (std::error_code EC = llvm::sys::fs::createUniqueDirectory("chanlint-fuzz", Dir)) {
    llvm::errs() << "chanlint_fuzz: cannot create a directory: " << EC.message() << "\n";
    std::abort();
  }
  S->Dir = Dir.str().str();
  llvm::SmallString<128> File(Dir);
  llvm::sys::path::append(File, "input.cpp");
  S->File = File.str().str();

  std::vector<std::string> Flags{"-std=c++20", "-I" CHAN_INCLUDE_DIR};
  std::vector<std::string> Prefix = precompiledPrefix(S->Dir, Flags);
  Flags.insert(Flags.end(), Prefix.begin(), Prefix.end());
  auto DB = std::make_shared<clang::tooling::FixedCompilationDatabase>(S->Dir, Flags);
  RunnerOptions Options;
  Options.Tidy.Config = "Checks: '-*,chan-*'";
  auto Created = Runner::create(std::move(DB), std::move(Options));
  if (!Created) {
    llvm::errs() << "chanlint_fuzz: " << llvm::toString(Created.takeError()) << "\n";
    std::abort();
  }
  S->Run = std::move(*Created);
  return S.release();
}

/// Every output format, as the driver writes them.
void renderReports(const Report &Rep, const std::string &Source, const std::string &File) {
  std::string Out = jsonText(makeSarif(Rep), 2);
  Out += jsonText(makeJsonReport(Rep), 2);
  Out += jsonText(makeCodeClimate(Rep), 2);
  // The text writer quotes source lines: the input from memory, the chan
  // headers from disk.
  auto FS = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::createPhysicalFileSystem());
  auto Memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  Memory->addFile(File, 0, llvm::MemoryBuffer::getMemBufferCopy(Source, File));
  FS->pushOverlay(Memory);
  llvm::raw_string_ostream OS(Out);
  writeText(OS, Rep, /*Color=*/false, FS);
}

/// What the result cache stores must read back as the same result.
void roundTripCache(const TUResult &R) {
  nlohmann::json Stored = toJson(R);
  std::optional<std::string> Text = exactJsonText(Stored);
  if (!Text)
    return; // not cached
  std::optional<TUResult> Read = tuResultFromJson(nlohmann::json::parse(*Text));
  if (!Read || toJson(*Read) != Stored) {
    llvm::errs() << "chanlint_fuzz: the cached result reads back different\n";
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  Setup = makeSetup();
  std::atexit(removeDirectory);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  std::string Source(reinterpret_cast<const char *>(Data), Size);
  TUResult Result = Setup->Run->analyze(Setup->File, {{Setup->File, Source}});
  roundTripCache(Result);
  std::vector<TUResult> TUs;
  TUs.push_back(std::move(Result));
  Report Rep = buildReport(std::move(TUs), Setup->Dir);
  renderReports(Rep, Source, Setup->File);
  return 0;
}
