// The language server's precompiled preambles: when one is reused, when it
// is rebuilt, and that the findings are those of an analysis without one.
#include "PreambleStore.h"

#include "ResultJson.h"

#include "clang/Tooling/CompilationDatabase.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

using namespace chanlint;
using namespace chanlint::lsp;

namespace {

// A ticker that is never stopped (a finding), under a body that a test
// edits; the helper header is the project's own, not a system one.
const char *const Helper = "#pragma once\n"
                           "#include <chrono>\n"
                           "inline std::chrono::milliseconds period() { return "
                           "std::chrono::milliseconds(10); }\n";
const char *const Source = "// A service.\n"
                           "#include <chan/chan.hpp>\n"
                           "#include \"helper.hpp\"\n"
                           "\n"
                           "void poll() {\n"
                           "  chan::Ticker t = chan::new_ticker(period());\n"
                           "  t.c().recv();\n"
                           "}\n";

std::string replaced(std::string Text, const std::string &From, const std::string &To) {
  size_t At = Text.find(From);
  EXPECT_NE(At, std::string::npos) << From;
  if (At != std::string::npos)
    Text.replace(At, From.size(), To);
  return Text;
}

/// The result as the server would publish it, timing aside.
std::string published(driver::TUResult R) {
  R.Seconds = 0;
  return driver::toJson(R).dump(2);
}

struct PreambleStoreTest : ::testing::Test {
  llvm::SmallString<128> Dir;
  std::string File;
  std::string Header;
  std::unique_ptr<driver::Runner> Runner;
  PreambleStore Store;

  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("chanlint-preamble", Dir));
    llvm::SmallString<128> Real;
    ASSERT_FALSE(llvm::sys::fs::real_path(Dir, Real));
    Dir = Real;
    File = write("service.cpp", Source);
    Header = write("helper.hpp", Helper);
    Runner = runner({});
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string write(llvm::StringRef Name, llvm::StringRef Text) {
    llvm::SmallString<128> P(Dir);
    llvm::sys::path::append(P, Name);
    std::error_code EC;
    llvm::raw_fd_ostream OS(P, EC);
    EXPECT_FALSE(EC) << P.str().str();
    OS << Text;
    return std::string(P);
  }

  std::unique_ptr<driver::Runner> runner(std::vector<std::string> ExtraFlags) {
    std::vector<std::string> Flags = {"-std=c++20", "-I" CHAN_INCLUDE_DIR};
    Flags.insert(Flags.end(), ExtraFlags.begin(), ExtraFlags.end());
    auto DB = std::make_shared<clang::tooling::FixedCompilationDatabase>(Dir, Flags);
    auto R = driver::Runner::create(DB, driver::RunnerOptions{});
    EXPECT_TRUE(bool(R)) << llvm::toString(R.takeError());
    return R ? std::move(*R) : nullptr;
  }

  /// Analyses the file with Text as its buffer (and Others open too)
  /// through the store; Outcome says what the preamble did.
  driver::TUResult withPreamble(const std::string &Text, std::string &Outcome,
                                driver::FileOverlays Others = {},
                                const driver::Runner *With = nullptr) {
    Others[File] = Text;
    std::unique_ptr<PreambleStore::Use> Use = Store.use(File, Others);
    driver::TUResult R = (With ? With : Runner.get())->analyze(File, Others, Use.get());
    Outcome = Use->summary();
    return R;
  }
  driver::TUResult without(const std::string &Text, driver::FileOverlays Others = {}) {
    Others[File] = Text;
    return Runner->analyze(File, Others);
  }
};

TEST_F(PreambleStoreTest, AnEditBelowTheIncludesReusesThePreambleWithTheSameFindings) {
  std::string Outcome;
  driver::TUResult Cold = withPreamble(Source, Outcome);
  EXPECT_EQ(Outcome.rfind("built in", 0), 0u) << Outcome;
  EXPECT_NE(Outcome.find("first analysis"), std::string::npos) << Outcome;
  ASSERT_EQ(Cold.Diagnostics.size(), 1u) << published(Cold);
  EXPECT_EQ(Cold.Diagnostics[0].Check, "chan-ticker-not-stopped");
  EXPECT_EQ(published(Cold), published(without(Source)));

  // The body grows a second, stopped ticker: the preamble serves as it is.
  std::string Edited = replaced(Source, "  t.c().recv();\n",
                                "  t.c().recv();\n"
                                "  chan::Ticker u = chan::new_ticker(period());\n"
                                "  u.stop();\n");
  driver::TUResult Warm = withPreamble(Edited, Outcome);
  EXPECT_EQ(Outcome, "reused");
  EXPECT_EQ(published(Warm), published(without(Edited)));
  // And an edit that changes the findings: the ticker is stopped now.
  std::string Fixed = replaced(Source, "  t.c().recv();\n", "  t.c().recv();\n  t.stop();\n");
  driver::TUResult Clean = withPreamble(Fixed, Outcome);
  EXPECT_EQ(Outcome, "reused");
  EXPECT_TRUE(Clean.Diagnostics.empty()) << published(Clean);
  EXPECT_EQ(published(Clean), published(without(Fixed)));

  PreambleStore::Counts C = Store.counts();
  EXPECT_EQ(C.Built, 1u);
  EXPECT_EQ(C.Reused, 2u);
  EXPECT_EQ(C.Applied, 3u);
}

TEST_F(PreambleStoreTest, AnEditOfAnIncludeLineRebuildsIt) {
  std::string Outcome;
  withPreamble(Source, Outcome);
  std::string MoreIncludes = replaced(Source, "#include \"helper.hpp\"\n",
                                      "#include \"helper.hpp\"\n#include <vector>\n");
  driver::TUResult R = withPreamble(MoreIncludes, Outcome);
  EXPECT_NE(Outcome.find("built in"), std::string::npos) << Outcome;
  EXPECT_NE(Outcome.find("the includes changed"), std::string::npos) << Outcome;
  EXPECT_EQ(published(R), published(without(MoreIncludes)));
  // The comment above the includes belongs to the preamble too.
  std::string Recommented = replaced(MoreIncludes, "// A service.", "// A service!");
  withPreamble(Recommented, Outcome);
  EXPECT_NE(Outcome.find("the includes changed"), std::string::npos) << Outcome;
  EXPECT_EQ(Store.counts().Built, 3u);
}

TEST_F(PreambleStoreTest, AHeaderChangedOnDiskRebuildsIt) {
  std::string Outcome;
  withPreamble(Source, Outcome);
  // A different size: CanReuse's check of the file's status sees it even
  // within the file system's time resolution.
  write("helper.hpp", replaced(Helper, "milliseconds(10)", "milliseconds(100)"));
  withPreamble(Source, Outcome);
  EXPECT_NE(Outcome.find("a file it includes changed"), std::string::npos) << Outcome;
  withPreamble(Source, Outcome);
  EXPECT_EQ(Outcome, "reused");
}

TEST_F(PreambleStoreTest, AnUnsavedHeaderBufferOfTheSameSizeRebuildsIt) {
  std::string Outcome;
  withPreamble(Source, Outcome);
  // The header opened in the editor: its buffer replaces the file.
  withPreamble(Source, Outcome, {{Header, Helper}});
  EXPECT_NE(Outcome.find("an unsaved buffer it includes changed"), std::string::npos) << Outcome;
  withPreamble(Source, Outcome, {{Header, Helper}});
  EXPECT_EQ(Outcome, "reused");
  // Same size, other text (unsaved buffers have no modification time):
  // `period` is renamed, so the file no longer compiles.
  std::string Renamed = replaced(Helper, "period()", "perioD()");
  driver::TUResult R = withPreamble(Source, Outcome, {{Header, Renamed}});
  EXPECT_NE(Outcome.find("an unsaved buffer it includes changed"), std::string::npos) << Outcome;
  EXPECT_TRUE(R.Failed);
  EXPECT_EQ(published(R), published(without(Source, {{Header, Renamed}})));
  // Closed again: the file on disk serves.
  withPreamble(Source, Outcome);
  EXPECT_NE(Outcome.find("an unsaved buffer it includes changed"), std::string::npos) << Outcome;
}

TEST_F(PreambleStoreTest, AnotherCompileCommandRebuildsItAndDropsTheOld) {
  std::string Outcome;
  withPreamble(Source, Outcome);
  std::unique_ptr<driver::Runner> Other = runner({"-DSERVICE_TRACE=1"});
  withPreamble(Source, Outcome, {}, Other.get());
  EXPECT_NE(Outcome.find("the compile command changed"), std::string::npos) << Outcome;
  withPreamble(Source, Outcome, {}, Other.get());
  EXPECT_EQ(Outcome, "reused");
  // Only the preambles of the last analysis are kept.
  withPreamble(Source, Outcome);
  EXPECT_NE(Outcome.find("the compile command changed"), std::string::npos) << Outcome;
}

TEST_F(PreambleStoreTest, APreambleWhoseBuildReportsDiagnosticsIsNotApplied) {
  // A header that is missing is an error of the preamble's: an analysis
  // that reused it would lose that error.
  std::string Missing = replaced(Source, "#include \"helper.hpp\"\n",
                                 "#include \"helper.hpp\"\n#include \"absent.hpp\"\n");
  std::string Outcome;
  driver::TUResult R = withPreamble(Missing, Outcome);
  EXPECT_NE(Outcome.find("not used"), std::string::npos) << Outcome;
  EXPECT_NE(Outcome.find("absent.hpp"), std::string::npos) << Outcome;
  ASSERT_TRUE(R.Failed);
  EXPECT_EQ(published(R), published(without(Missing)));
  // It is kept all the same, so that it is not built again for each edit.
  std::string Edited = Missing + "int later;\n";
  R = withPreamble(Edited, Outcome);
  EXPECT_EQ(Outcome.rfind("reused; not used", 0), 0u) << Outcome;
  EXPECT_EQ(published(R), published(without(Edited)));
  EXPECT_EQ(Store.counts().Applied, 0u);
  // The header appears: the preamble is built again, and applied.
  write("absent.hpp", "#pragma once\n");
  withPreamble(Edited, Outcome);
  EXPECT_NE(Outcome.find("a file it includes changed"), std::string::npos) << Outcome;
  EXPECT_EQ(Outcome.find("not used"), std::string::npos) << Outcome;
  EXPECT_EQ(Store.counts().Applied, 1u);
}

TEST_F(PreambleStoreTest, AFileWithoutIncludesHasNone) {
  std::string Outcome;
  std::string Bare = "void f() {}\n";
  withPreamble(Bare, Outcome);
  EXPECT_EQ(Outcome, "none: the file starts with code");
  EXPECT_EQ(Store.counts().Built, 0u);
}

TEST_F(PreambleStoreTest, AForgottenDocumentStartsOver) {
  std::string Outcome;
  withPreamble(Source, Outcome);
  Store.forget(File);
  withPreamble(Source, Outcome);
  EXPECT_NE(Outcome.find("first analysis"), std::string::npos) << Outcome;
}

TEST_F(PreambleStoreTest, AnAnalysisRunningWhenItsDocumentIsForgottenKeepsNothing) {
  std::string Outcome;
  driver::FileOverlays Buffers = {{File, Source}};
  std::unique_ptr<PreambleStore::Use> Use = Store.use(File, Buffers);
  Runner->analyze(File, Buffers, Use.get());
  Store.forget(File); // closed while the analysis ran
  Use.reset();
  withPreamble(Source, Outcome);
  EXPECT_NE(Outcome.find("first analysis"), std::string::npos) << Outcome;
}

} // namespace
