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

  auto DB = std::make_shared<clang::tooling::FixedCompilationDatabase>(
      S->Dir, std::vector<std::string>{"-std=c++20", "-I" CHAN_INCLUDE_DIR});
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
