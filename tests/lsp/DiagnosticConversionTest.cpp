#include "DiagnosticConversion.h"

#include <gtest/gtest.h>

using namespace chanlint::lsp;
using chanlint::driver::Diagnostic;
using chanlint::driver::Level;
using chanlint::driver::Location;
using chanlint::driver::Position;
using chanlint::driver::TUResult;

namespace {

const std::string Path = "/src/a b.cpp";
const std::string Uri = "file:///src/a%20b.cpp"; // as the client spells it

/// 1-based line, 1-based byte and UTF-16 columns (the driver's convention).
Position pos(unsigned Line, unsigned Column, unsigned Utf16Column) {
  return {0, Line, Column, Utf16Column};
}

Diagnostic finding() {
  Diagnostic D;
  D.Check = "chan-ticker-not-stopped";
  D.Severity = Level::Warning;
  D.Message = "ticker 't' is not stopped on every path out of its scope";
  D.Loc = {Path, pos(11, 18, 16), pos(11, 68, 66)};
  D.Notes.push_back({{Path, pos(15, 1, 1), pos(15, 2, 2)}, "'t' goes out of scope here", true});
  D.Notes.push_back({{"/src/h.hpp", pos(3, 5, 5), pos(3, 6, 6)}, "in the header", true});
  D.Notes.push_back({{}, "a note without a place", false});
  return D;
}

TEST(DiagnosticConversion, FindingWithNotesAndDocumentation) {
  TUResult R;
  R.Diagnostics.push_back(finding());
  auto Out = toLspDiagnostics(R, Uri, Path);
  ASSERT_EQ(Out.size(), 1u);
  const json &D = Out[0].Lsp;
  EXPECT_EQ(D["range"], json::parse(R"({"start":{"line":10,"character":15},
                                        "end":{"line":10,"character":65}})"));
  EXPECT_EQ(D["severity"], 2);
  EXPECT_EQ(D["source"], "chanlint");
  EXPECT_EQ(D["code"], "chan-ticker-not-stopped");
  EXPECT_NE(D["codeDescription"]["href"].get<std::string>().find(
                "docs/checks/chan-ticker-not-stopped.md"),
            std::string::npos);
  ASSERT_EQ(D["relatedInformation"].size(), 2u);
  EXPECT_EQ(D["relatedInformation"][0]["location"]["uri"], Uri);
  EXPECT_EQ(D["relatedInformation"][0]["location"]["range"]["start"]["line"], 14);
  EXPECT_EQ(D["relatedInformation"][1]["location"]["uri"], "file:///src/h.hpp");
  EXPECT_EQ(D["message"], "ticker 't' is not stopped on every path out of its scope\n"
                          "a note without a place");
  EXPECT_EQ(Out[0].Check, "chan-ticker-not-stopped");
  EXPECT_EQ(Out[0].Range.Start, (LspPosition{10, 15}));
}

TEST(DiagnosticConversion, TheRangeIsWhatClangTidyHighlightsAroundTheAnchor) {
  // A ticker's declaration, the anchor (the caret) at its name, as clangd
  // shows clang-tidy's diagnostics.
  Diagnostic D = finding();
  D.Loc.Begin.Offset = 120;
  D.Loc.End.Offset = 170;
  D.Ranges = {{Path, {105, 11, 3, 3}, {170, 11, 68, 66}}};
  TUResult R;
  R.Diagnostics.push_back(D);
  auto Out = toLspDiagnostics(R, Uri, Path);
  ASSERT_EQ(Out.size(), 1u);
  EXPECT_EQ(Out[0].Range, (LspRange{{10, 2}, {10, 65}}));
  EXPECT_EQ(Out[0].Lsp["range"], toJson(Out[0].Range));

  // A range elsewhere (not around the anchor) leaves the anchor's own.
  R.Diagnostics.front().Ranges = {{Path, {10, 2, 1, 1}, {20, 2, 11, 11}}};
  Out = toLspDiagnostics(R, Uri, Path);
  ASSERT_EQ(Out.size(), 1u);
  EXPECT_EQ(Out[0].Range, (LspRange{{10, 15}, {10, 65}}));
}

TEST(DiagnosticConversion, FindingsInOtherFilesAreNotTheDocuments) {
  TUResult R;
  Diagnostic D = finding();
  D.Loc.File = "/src/h.hpp";
  R.Diagnostics.push_back(D);
  EXPECT_TRUE(toLspDiagnostics(R, Uri, Path).empty());
}

TEST(DiagnosticConversion, CompilerErrorsHereAndInAHeader) {
  TUResult R;
  R.Failed = true;
  R.FailureReason = "2 compiler errors";
  Diagnostic Here;
  Here.Check = "clang-diagnostic-error";
  Here.Severity = Level::Error;
  Here.Message = "expected ';'";
  Here.Loc = {Path, pos(4, 3, 3), pos(4, 4, 4)};
  Diagnostic There = Here;
  There.Message = "unknown type name 'Foo'";
  There.Loc = {"/src/h.hpp", pos(7, 1, 1), pos(7, 4, 4)};
  R.CompilerErrors = {Here, There};
  R.Diagnostics.push_back(finding()); // what did parse is still reported

  auto Out = toLspDiagnostics(R, Uri, Path);
  ASSERT_EQ(Out.size(), 3u);
  EXPECT_EQ(Out[0].Lsp["source"], "chanlint");
  EXPECT_EQ(Out[1].Lsp["source"], "clang");
  EXPECT_EQ(Out[1].Lsp["severity"], 1);
  EXPECT_FALSE(Out[1].Lsp.contains("code"));
  EXPECT_EQ(Out[1].Lsp["range"]["start"], json::parse(R"({"line":3,"character":2})"));
  EXPECT_EQ(Out[2].Lsp["range"]["start"], json::parse(R"({"line":0,"character":0})"));
  EXPECT_EQ(Out[2].Lsp["message"], "In included file /src/h.hpp:7:1: unknown type name 'Foo'");
  EXPECT_EQ(Out[2].Lsp["relatedInformation"][0]["location"]["uri"], "file:///src/h.hpp");
}

TEST(DiagnosticConversion, AFailureWithoutErrorsSaysWhy) {
  TUResult R;
  R.Failed = true;
  R.FailureReason = "the compiler could not process this file";
  auto Out = toLspDiagnostics(R, Uri, Path);
  ASSERT_EQ(Out.size(), 1u);
  EXPECT_EQ(Out[0].Lsp["message"],
            "chanlint could not analyse this file: the compiler could not process this file");
}

TEST(DiagnosticConversion, RepeatedFindingsAreMerged) {
  TUResult R;
  R.Diagnostics = {finding(), finding()};
  EXPECT_EQ(toLspDiagnostics(R, Uri, Path).size(), 1u);
}

} // namespace
