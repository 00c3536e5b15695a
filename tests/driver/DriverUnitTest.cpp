// Unit tests of the driver library's parts that need no command line:
// positions, fingerprints, diff parsing, shards, SARIF merging and rule
// help, results as JSON, the suppression summary, and the runner on unsaved
// buffers (the language server's path).
#include "DiffFilter.h"
#include "Fingerprint.h"
#include "Merge.h"
#include "ResultJson.h"
#include "Runner.h"
#include "SarifWriter.h"
#include "Shard.h"
#include "SourceText.h"
#include "TextWriter.h"

#include "CheckCatalog.h"

#include "clang/Tooling/CompilationDatabase.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <set>

using namespace chanlint::driver;
using nlohmann::json;

namespace {

TEST(SourceText, PositionsCountBytesAndUtf16Units) {
  SourceText T("ab\n\xC3\xA9x \xF0\x9F\x98\x80y\n");
  Position P = T.position(5); // after "é" (2 bytes)
  EXPECT_EQ(P.Line, 2u);
  EXPECT_EQ(P.Column, 3u);
  EXPECT_EQ(P.Utf16Column, 2u);
  P = T.position(11); // after "😀" (4 bytes, a surrogate pair)
  EXPECT_EQ(P.Column, 9u);
  EXPECT_EQ(P.Utf16Column, 6u);
  EXPECT_EQ(T.lineText(2), "\xC3\xA9x \xF0\x9F\x98\x80y");
  EXPECT_EQ(T.lineText(9), "");
  EXPECT_EQ(T.position(999).Offset, T.text().size());
}

TEST(SourceText, TokenEnd) {
  SourceText T("  jobs.close();\n");
  EXPECT_EQ(T.tokenEnd(2), 6u); // "jobs"
  EXPECT_EQ(T.tokenEnd(6), 7u); // "."
}

Diagnostic diag(const std::string &Check, unsigned Line, const std::string &Text,
                const std::string &Context) {
  Diagnostic D;
  D.Check = Check;
  D.Loc.File = "/repo/src/a.cpp";
  D.Loc.Begin.Line = Line;
  D.Loc.Begin.Offset = Line * 100;
  D.LineText = Text;
  D.Context = Context;
  return D;
}

TEST(Fingerprint, SurvivesLineShiftsAndReindentation) {
  auto A = computeFingerprints({diag("chan-x", 10, "  ch.close();", "f")}, "/repo");
  auto B = computeFingerprints({diag("chan-x", 42, "\tch.close(); ", "f")}, "/repo");
  EXPECT_EQ(A, B);
  // The root is not part of it: another checkout agrees.
  Diagnostic Elsewhere = diag("chan-x", 10, "  ch.close();", "f");
  Elsewhere.Loc.File = "/ci/build/42/src/a.cpp";
  EXPECT_EQ(computeFingerprints({Elsewhere}, "/ci/build/42"), A);
}

TEST(Fingerprint, TellsApartCheckContextTextAndOccurrence) {
  std::vector<Diagnostic> Ds = {diag("chan-x", 1, "ch.close();", "f"),
                                diag("chan-x", 2, "ch.close();", "f"),
                                diag("chan-x", 3, "ch.close();", "g"),
                                diag("chan-y", 4, "ch.close();", "g"),
                                diag("chan-y", 5, "out.close();", "g")};
  auto Prints = computeFingerprints(Ds, "/repo");
  EXPECT_EQ(std::set<std::string>(Prints.begin(), Prints.end()).size(), Ds.size());
}

TEST(Fingerprint, RelativePathIsWholeComponents) {
  EXPECT_EQ(relativePath("/src/a/b.cpp", "/src"), "a/b.cpp");
  EXPECT_EQ(relativePath("/src/a/b.cpp", "/src/"), "a/b.cpp");
  EXPECT_EQ(relativePath("/src2/b.cpp", "/src"), "");
  EXPECT_EQ(relativePath("/src", "/src"), "");
  EXPECT_EQ(normalizeLineText("  a \t b  "), "a b");
}

TEST(DiffFilter, ParsesGitAndPlainUnifiedDiffs) {
  const char *Diff = "diff --git a/src/a.cpp b/src/a.cpp\n"
                     "--- a/src/a.cpp\n"
                     "+++ b/src/a.cpp\n"
                     "@@ -3,0 +4,2 @@ void f() {\n"
                     "+  x();\n"
                     "+  y();\n"
                     "@@ -10 +12 @@\n"
                     "-old\n"
                     "+new\n"
                     "@@ -20,3 +21,0 @@\n"
                     "--- src/gone.cpp\n"
                     "+++ /dev/null\n"
                     "@@ -1,2 +0,0 @@\n"
                     "--- old/b.h\t2024-01-01 00:00:00\n"
                     "+++ new/b.h\t2024-01-02 00:00:00\n"
                     "@@ -1 +1,3 @@\n";
  auto C = ChangedLines::fromUnifiedDiff(Diff, "/repo");
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  EXPECT_FALSE(C->contains("/repo/src/a.cpp", 3));
  EXPECT_TRUE(C->contains("/repo/src/a.cpp", 4));
  EXPECT_TRUE(C->contains("/repo/src/a.cpp", 5));
  EXPECT_FALSE(C->contains("/repo/src/a.cpp", 6));
  EXPECT_TRUE(C->contains("/repo/src/a.cpp", 12));
  EXPECT_FALSE(C->contains("/repo/src/a.cpp", 21)); // only deleted there
  EXPECT_TRUE(C->touches("/repo/src/a.cpp"));
  EXPECT_FALSE(C->touches("/repo/src/gone.cpp"));
  EXPECT_TRUE(C->contains("/repo/new/b.h", 3));
}

TEST(DiffFilter, RejectsWhatIsNotADiff) {
  auto C = ChangedLines::fromUnifiedDiff("hello\nworld\n", "/repo");
  EXPECT_FALSE(bool(C));
  llvm::consumeError(C.takeError());
  auto Empty = ChangedLines::fromUnifiedDiff("", "/repo");
  ASSERT_TRUE(bool(Empty));
  EXPECT_EQ(Empty->fileCount(), 0u);
}

TEST(Shard, PartitionsEvenlyAndDisjointly) {
  std::vector<std::string> Files;
  for (int I = 0; I < 10; ++I)
    Files.push_back("/root/src/f" + std::to_string(I) + ".cpp");
  std::multiset<std::string> Seen;
  for (unsigned I = 1; I <= 3; ++I) {
    auto Part = selectShard(Files, {I, 3}, "/root");
    EXPECT_GE(Part.size(), 3u);
    EXPECT_LE(Part.size(), 4u);
    Seen.insert(Part.begin(), Part.end());
  }
  EXPECT_EQ(Seen, std::multiset<std::string>(Files.begin(), Files.end()));
  // Where the tree is checked out does not matter.
  std::vector<std::string> Moved;
  for (const std::string &F : Files)
    Moved.push_back("/elsewhere" + F.substr(5));
  auto A = selectShard(Files, {2, 3}, "/root");
  auto B = selectShard(Moved, {2, 3}, "/elsewhere");
  ASSERT_EQ(A.size(), B.size());
  for (size_t I = 0; I < A.size(); ++I)
    EXPECT_EQ(A[I].substr(5), B[I].substr(10));
}

TEST(Shard, ParsesSpecs) {
  EXPECT_TRUE(bool(parseShard("1/1")));
  for (const char *Bad : {"0/2", "3/2", "1/0", "x", "1-2", ""}) {
    auto S = parseShard(Bad);
    EXPECT_FALSE(bool(S)) << Bad;
    llvm::consumeError(S.takeError());
  }
}

json run(const std::vector<std::string> &Rules, const std::vector<json> &Results) {
  json R = json::array();
  for (const std::string &Id : Rules)
    R.push_back({{"id", Id}});
  return {{"tool", {{"driver", {{"name", "chanlint"}, {"rules", R}}}}},
          {"invocations", json::array({{{"exitCode", 1}}})},
          {"results", Results}};
}

json result(const std::string &Rule, int Index, const std::string &Uri, int Line) {
  json Location = {{"physicalLocation",
                    {{"artifactLocation", {{"uri", Uri}}},
                     {"region", {{"startLine", Line}, {"startColumn", 1}}}}}};
  return {{"ruleId", Rule},
          {"ruleIndex", Index},
          {"message", {{"text", "m."}}},
          {"partialFingerprints", {{"chanlintFingerprint/v1", Uri + std::to_string(Line)}}},
          {"locations", json::array({Location})}};
}

TEST(Merge, UnitesRulesRepointsIndexesAndDeduplicates) {
  json A = {{"version", "2.1.0"},
            {"runs", json::array({run({"chan-a"}, {result("chan-a", 0, "x.cpp", 3)})})}};
  json B = {{"version", "2.1.0"},
            {"runs", json::array({run({"chan-b", "chan-a"},
                                      {result("chan-b", 0, "y.cpp", 1),
                                       result("chan-a", 1, "x.cpp", 3)}),
                                  {{"tool", {{"driver", {{"name", "other"}}}}}}})}};
  auto M = mergeSarifLogs({A, B});
  ASSERT_TRUE(bool(M)) << llvm::toString(M.takeError());
  ASSERT_EQ((*M)["runs"].size(), 2u); // chanlint's, and the other tool's untouched
  const json &Run = (*M)["runs"][0];
  ASSERT_EQ(Run["results"].size(), 2u);
  ASSERT_EQ(Run["invocations"].size(), 2u);
  for (const json &R : Run["results"])
    EXPECT_EQ(Run["tool"]["driver"]["rules"][R["ruleIndex"].get<size_t>()]["id"], R["ruleId"]);
  EXPECT_EQ((*M)["runs"][1]["tool"]["driver"]["name"], "other");

  auto Bad = mergeSarifLogs({json{{"version", "1.0"}}});
  EXPECT_FALSE(bool(Bad));
  llvm::consumeError(Bad.takeError());
}

TEST(ResultJson, KeepsTheAnchorTheRangesAndTheSuppressedCounts) {
  TUResult T;
  T.File = "/repo/src/a.cpp";
  Diagnostic D = diag("chan-ticker-not-stopped", 4, "  chan::Ticker t = f();", "g");
  D.Severity = Level::Warning;
  D.Loc.Begin = {115, 4, 16, 16};
  D.Loc.End = {121, 4, 22, 22};
  D.Ranges = {{D.Loc.File, {102, 4, 3, 3}, {121, 4, 22, 22}}};
  Note N;
  N.Loc = {D.Loc.File, {90, 3, 5, 5}, {91, 3, 6, 6}};
  N.Message = "expanded from macro 'M'";
  N.Ranges = {{D.Loc.File, {90, 3, 5, 5}, {97, 3, 12, 12}}};
  D.Notes.push_back(N);
  T.Diagnostics.push_back(D);
  T.Suppressed = {2, 1, 0, 3};

  json J = toJson(T);
  const json &Out = J["diagnostics"][0];
  EXPECT_EQ(Out["location"]["start"]["column"], 3); // the region: the declaration
  EXPECT_EQ(Out["anchor"]["column"], 16);           // clang's line:col
  std::optional<TUResult> Back = tuResultFromJson(J);
  ASSERT_TRUE(Back.has_value());
  EXPECT_EQ(Back->Diagnostics, T.Diagnostics);
  EXPECT_EQ(Back->Suppressed, T.Suppressed);

  // Without a range around the anchor, location and anchor start alike.
  D.Ranges.clear();
  json Plain = toJson(D);
  EXPECT_EQ(Plain["location"]["start"], Plain["anchor"]);
  EXPECT_EQ(diagnosticFromJson(Plain), D);
}

TEST(TextWriter, SaysWhatWasSuppressedInClangTidysWords) {
  EXPECT_EQ(suppressedWarningsText({}), "");
  EXPECT_EQ(suppressedWarningsText({2, 0, 0, 0}), "Suppressed 2 warnings (2 NOLINT).\n");
  EXPECT_EQ(suppressedWarningsText({1, 0, 0, 2}),
            "Suppressed 3 warnings (1 NOLINT, 2 with check filters).\n");
  EXPECT_EQ(suppressedWarningsText({1, 1, 0, 0}),
            "Suppressed 2 warnings (1 in non-user code, 1 NOLINT).\n"
            "Use -header-filter=.* to display errors from all non-system headers. Use "
            "-system-headers to display errors from system headers as well.\n");
}

TEST(Sarif, RuleHelpIsOneTextWithOptionsAndLink) {
  Report R;
  R.SrcRoot = "/repo";
  json Rules = makeSarif(R)["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(Rules.size(), chanlint::allChecks().size());
  for (const chanlint::CheckInfo &C : chanlint::allChecks()) {
    const json *Rule = nullptr;
    for (const json &Candidate : Rules)
      if (Candidate["id"] == C.Name.str())
        Rule = &Candidate;
    ASSERT_NE(Rule, nullptr) << C.Name.str();
    std::string Text = (*Rule)["help"]["text"], Markdown = (*Rule)["help"]["markdown"];
    std::string Full = (*Rule)["fullDescription"]["text"];
    // The description once, not followed by the principle that it states.
    EXPECT_EQ(Text.rfind(Full, 0), 0u) << C.Name.str();
    EXPECT_EQ(Text.find(C.Principle.str()), std::string::npos) << Text;
    EXPECT_EQ(Markdown.find(C.Principle.str()), std::string::npos) << Markdown;
    EXPECT_NE(Text.find(chanlint::checkHelpUri(C)), std::string::npos) << Text;
    EXPECT_NE(Markdown.find("](" + chanlint::checkHelpUri(C) + ")"), std::string::npos);
    for (const chanlint::CheckOption &O : C.Options) {
      EXPECT_NE(Text.find((C.Name + "." + O.Name).str()), std::string::npos) << Text;
      EXPECT_NE(Markdown.find("`" + (C.Name + "." + O.Name).str() + "`"), std::string::npos);
    }
  }
}

// The language server's path: the runner analyses unsaved contents.
TEST(Runner, AnalysesUnsavedBuffers) {
  llvm::SmallString<128> Dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("chanlint-runner", Dir));
  llvm::SmallString<128> File(Dir);
  llvm::sys::path::append(File, "a.cpp");
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(File, EC);
    ASSERT_FALSE(EC);
    OS << "#include <chan/chan.hpp>\nvoid f() {}\n";
  }
  auto DB = std::make_shared<clang::tooling::FixedCompilationDatabase>(
      Dir, std::vector<std::string>{"-std=c++20", "-I" CHAN_INCLUDE_DIR});
  auto R = Runner::create(DB, RunnerOptions{});
  ASSERT_TRUE(bool(R)) << llvm::toString(R.takeError());

  TUResult OnDisk = (*R)->analyze(File);
  EXPECT_FALSE(OnDisk.Failed) << OnDisk.FailureReason;
  EXPECT_TRUE(OnDisk.Diagnostics.empty());

  const std::string Unsaved = "#include <chan/chan.hpp>\n"
                              "#include <chrono>\n"
                              "void f() {\n"
                              "  chan::Ticker t = chan::new_ticker(std::chrono::seconds(1));\n"
                              "}\n";
  TUResult Edited = (*R)->analyze(File, {{std::string(File), Unsaved}});
  ASSERT_EQ(Edited.Diagnostics.size(), 1u);
  const Diagnostic &D = Edited.Diagnostics.front();
  EXPECT_EQ(D.Check, "chan-ticker-not-stopped");
  EXPECT_EQ(D.Loc.File, std::string(File));
  EXPECT_EQ(D.Loc.Begin.Line, 4u);
  EXPECT_EQ(D.Context, "f");
  EXPECT_EQ(D.LineText, "  chan::Ticker t = chan::new_ticker(std::chrono::seconds(1));");
  EXPECT_FALSE(D.Fixes.empty());
  // As clang-tidy shows it: the caret at the name, the whole declaration
  // highlighted.
  EXPECT_EQ(D.Loc.Begin.Column, 16u);
  ASSERT_EQ(D.Ranges.size(), 1u);
  EXPECT_EQ(D.Ranges[0].Begin.Column, 3u);
  EXPECT_EQ(D.highlight().Begin.Column, 3u);
  EXPECT_EQ(D.Loc.End.Column, 61u); // after the initializer's ")"

  TUResult Broken = (*R)->analyze(File, {{std::string(File), Unsaved + "int x = ;\n"}});
  EXPECT_TRUE(Broken.Failed);
  ASSERT_FALSE(Broken.CompilerErrors.empty());
  EXPECT_EQ(Broken.CompilerErrors.front().Loc.Begin.Line, 6u);
  EXPECT_EQ(Broken.Diagnostics.size(), 1u); // what parsed is still analysed

  llvm::sys::fs::remove_directories(Dir);
}

} // namespace
