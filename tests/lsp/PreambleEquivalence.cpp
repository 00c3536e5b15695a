// The language server's preamble changes nothing but speed: for each file,
// the analysis without a preamble, the first analysis with one (built for
// it), and an analysis after an edit below the includes (the preamble
// reused) must give the same results, diagnostics, compiler errors, bounds
// and suppression counts alike.
//
//   lsp_preamble_equivalence --include DIR [--every N [--offset K]] (--fixtures DIR | FILE...)
//
// --fixtures takes DIR/*/*.cpp in sorted order; --every N keeps every Nth,
// from the K-th (ctest turns K with the day of the configure).
// Files compile with -std=c++20 -I<--include>, under the checks -*,chan-*
// (and any .clang-tidy beside them). Prints one line per file; exits 1 if
// any result differs, or if no file reused its preamble.
#include "PreambleStore.h"

#include "ResultJson.h"
#include "SourceText.h"

#include "clang/Tooling/CompilationDatabase.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>

using namespace chanlint;

namespace {

std::string published(driver::TUResult R) {
  R.Seconds = 0;
  return driver::toJson(R).dump(1);
}

std::vector<std::string> fixtureFiles(const std::string &Root) {
  std::vector<std::string> Files;
  std::error_code EC;
  for (llvm::sys::fs::directory_iterator Dir(Root, EC), End; Dir != End && !EC;
       Dir.increment(EC)) {
    if (Dir->type() != llvm::sys::fs::file_type::directory_file)
      continue;
    std::error_code InnerEC;
    for (llvm::sys::fs::directory_iterator F(Dir->path(), InnerEC), FEnd; F != FEnd && !InnerEC;
         F.increment(InnerEC))
      if (llvm::sys::path::extension(F->path()) == ".cpp")
        Files.push_back(F->path());
  }
  std::sort(Files.begin(), Files.end());
  return Files;
}

int usage() {
  llvm::errs() << "usage: lsp_preamble_equivalence --include DIR [--every N [--offset K]] "
                  "(--fixtures DIR | FILE...)\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  std::string Include, Fixtures;
  unsigned Every = 1, Offset = 0;
  std::vector<std::string> Files;
  for (int I = 1; I < argc; ++I) {
    std::string A = argv[I];
    if ((A == "--include" || A == "--fixtures" || A == "--every" || A == "--offset") &&
        I + 1 < argc) {
      std::string V = argv[++I];
      if (A == "--include")
        Include = V;
      else if (A == "--fixtures")
        Fixtures = V;
      else if (A == "--offset") {
        if (llvm::StringRef(V).getAsInteger(10, Offset))
          return usage();
      } else if (llvm::StringRef(V).getAsInteger(10, Every) || Every == 0)
        return usage();
    } else if (!A.empty() && A[0] != '-') {
      Files.push_back(driver::normalizePath(A));
    } else {
      return usage();
    }
  }
  if (!Fixtures.empty()) {
    std::vector<std::string> Found = fixtureFiles(Fixtures);
    for (size_t I = Offset % Every; I < Found.size(); I += Every)
      Files.push_back(Found[I]);
  }
  if (Include.empty() || Files.empty())
    return usage();

  llvm::SmallString<128> Cwd;
  llvm::sys::fs::current_path(Cwd);
  auto DB = std::make_shared<clang::tooling::FixedCompilationDatabase>(
      Cwd, std::vector<std::string>{"-std=c++20", "-I" + Include});
  auto Runner = driver::Runner::create(DB, driver::RunnerOptions{});
  if (!Runner) {
    llvm::errs() << llvm::toString(Runner.takeError()) << "\n";
    return 2;
  }

  unsigned Differ = 0, Reused = 0, NotApplied = 0;
  for (const std::string &File : Files) {
    auto Text = llvm::MemoryBuffer::getFile(File);
    if (!Text) {
      llvm::errs() << File << ": " << Text.getError().message() << "\n";
      return 2;
    }
    std::string Original = (*Text)->getBuffer().str();
    // An edit far below the includes: a comment at the end changes no
    // finding's place.
    std::string Edited = Original + "\n// edited below the includes\n";

    lsp::PreambleStore Store;
    auto Analyse = [&](const std::string &Buffer, std::string *Outcome) {
      driver::FileOverlays Overlays = {{File, Buffer}};
      if (!Outcome)
        return published((*Runner)->analyze(File, Overlays));
      std::unique_ptr<lsp::PreambleStore::Use> Use = Store.use(File, Overlays);
      std::string R = published((*Runner)->analyze(File, Overlays, Use.get()));
      *Outcome = Use->summary();
      return R;
    };
    std::string ColdOutcome, WarmOutcome;
    std::string Plain = Analyse(Original, nullptr);
    std::string Cold = Analyse(Original, &ColdOutcome);
    std::string PlainEdited = Analyse(Edited, nullptr);
    std::string Warm = Analyse(Edited, &WarmOutcome);

    bool Same = Plain == Cold && PlainEdited == Warm;
    if (!Same)
      ++Differ;
    if (WarmOutcome == "reused")
      ++Reused;
    else
      ++NotApplied;
    llvm::outs() << (Same ? "same   " : "DIFFER ") << File << "  [cold: " << ColdOutcome
                 << "; edit: " << WarmOutcome << "]\n";
    if (!Same) {
      llvm::outs() << "--- without a preamble:\n"
                   << (Plain == Cold ? PlainEdited : Plain) << "\n--- with it:\n"
                   << (Plain == Cold ? Warm : Cold) << "\n";
    }
    llvm::outs().flush();
  }
  llvm::outs() << Files.size() << " files: " << (Files.size() - Differ) << " the same, " << Differ
               << " different; the preamble reused after the edit on " << Reused << ", not on "
               << NotApplied << "\n";
  return Differ == 0 && Reused > 0 ? 0 : 1;
}
