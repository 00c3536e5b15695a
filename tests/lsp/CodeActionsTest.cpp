#include "CodeActions.h"

#include <gtest/gtest.h>

using namespace chanlint::lsp;
using chanlint::driver::Position;
using chanlint::driver::Replacement;

namespace {

const std::string Path = "/src/a.cpp";
const std::string Uri = "file:///src/a.cpp";
const std::string Text = "void f() {\n"
                         "  chan::Ticker t = make();\n"
                         "  ch.close();\n"
                         "}\n";

PublishedDiagnostic diagnostic(const std::string &Check, LspRange Range,
                               std::vector<Replacement> Fixes) {
  PublishedDiagnostic D;
  D.Check = Check;
  D.Range = Range;
  D.Lsp = {{"range", toJson(Range)}, {"code", Check}, {"message", Check + " here"}};
  D.Fixes = std::move(Fixes);
  return D;
}

// Offsets into Text, with the driver's 1-based lines and columns.
Position at(unsigned Offset, unsigned Line, unsigned Column) {
  return {Offset, Line, Column, Column};
}

std::vector<PublishedDiagnostic> sample() {
  return {
      diagnostic("chan-ticker-not-stopped", {{1, 15}, {1, 25}},
                 {{Path, at(37, 2, 27), at(37, 2, 27), "\n  chan::Defer stop_t([&] { t.stop(); });"}}),
      diagnostic("chan-receiver-close", {{2, 2}, {2, 10}},
                 {{Path, at(40, 3, 3), at(51, 3, 14), ""}}),
      diagnostic("chan-double-close", {{2, 2}, {2, 10}}, {}),
  };
}

TEST(CodeActions, TheFixOfTheDiagnosticUnderTheCursor) {
  json A = codeActionsFor(sample(), {{1, 16}, {1, 16}}, Uri, Path, Text, {});
  ASSERT_EQ(A.size(), 1u);
  EXPECT_EQ(A[0]["kind"], "quickfix");
  EXPECT_EQ(A[0]["title"],
            "chan-ticker-not-stopped: insert `chan::Defer stop_t([&] { t.stop(); });`");
  EXPECT_EQ(A[0]["diagnostics"][0]["code"], "chan-ticker-not-stopped");
  json Edit = A[0]["edit"]["changes"][Uri];
  ASSERT_EQ(Edit.size(), 1u);
  EXPECT_EQ(Edit[0]["range"], json::parse(R"({"start":{"line":1,"character":26},
                                               "end":{"line":1,"character":26}})"));
  EXPECT_EQ(Edit[0]["newText"], "\n  chan::Defer stop_t([&] { t.stop(); });");
}

TEST(CodeActions, ARemovalIsTitledWithWhatGoes) {
  json A = codeActionsFor(sample(), {{2, 3}, {2, 3}}, Uri, Path, Text, {});
  ASSERT_EQ(A.size(), 1u); // chan-double-close has no fix-it
  EXPECT_EQ(A[0]["title"], "chan-receiver-close: remove `ch.close();`");
}

TEST(CodeActions, AnEditTouchingTheRangeCountsToo) {
  // The insertion point at the end of line 2 is outside the diagnostic.
  json A = codeActionsFor(sample(), {{1, 26}, {1, 26}}, Uri, Path, Text, {});
  ASSERT_EQ(A.size(), 1u);
}

TEST(CodeActions, NothingOutsideOrForOtherKinds) {
  EXPECT_TRUE(codeActionsFor(sample(), {{0, 0}, {0, 3}}, Uri, Path, Text, {}).empty());
  EXPECT_TRUE(
      codeActionsFor(sample(), {{1, 16}, {1, 16}}, Uri, Path, Text, {"refactor"}).empty());
  EXPECT_EQ(codeActionsFor(sample(), {{1, 16}, {1, 16}}, Uri, Path, Text, {"quickfix"}).size(),
            1u);
}

TEST(CodeActions, EditsInOtherFilesAreKeyedByTheirUri) {
  auto D = sample();
  D[0].Fixes.push_back({"/src/h.hpp", at(0, 1, 1), at(0, 1, 1), "#include <x>\n"});
  json A = codeActionsFor(D, {{1, 16}, {1, 16}}, Uri, Path, Text, {});
  ASSERT_EQ(A.size(), 1u);
  EXPECT_TRUE(A[0]["edit"]["changes"].contains("file:///src/h.hpp"));
  EXPECT_EQ(A[0]["title"], "chan-ticker-not-stopped: apply the fix-it (2 edits)");
}

} // namespace
