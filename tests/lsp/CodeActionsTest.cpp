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
  D.Lsp = {{"range", toJson(Range)},
           {"source", "chanlint"},
           {"code", Check},
           {"message", Check + " here"}};
  D.Fixes = std::move(Fixes);
  return D;
}

// Offsets into Text, with the driver's 1-based lines and columns.
Position at(unsigned Offset, unsigned Line, unsigned Column) {
  return {Offset, Line, Column, Column};
}

CodeActionRequest ask(LspRange Range, std::vector<std::string> Only = {},
                      std::vector<json> Diagnostics = {}) {
  return {Range, std::move(Diagnostics), std::move(Only)};
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
  json A = codeActionsFor(sample(), ask({{1, 16}, {1, 16}}, {}), Uri, Path, Text);
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
  json A = codeActionsFor(sample(), ask({{2, 3}, {2, 3}}, {}), Uri, Path, Text);
  ASSERT_EQ(A.size(), 1u); // chan-double-close has no fix-it
  EXPECT_EQ(A[0]["title"], "chan-receiver-close: remove `ch.close();`");
}

TEST(CodeActions, AnEditTouchingTheRangeCountsToo) {
  // The insertion point at the end of line 2 is outside the diagnostic.
  json A = codeActionsFor(sample(), ask({{1, 26}, {1, 26}}, {}), Uri, Path, Text);
  ASSERT_EQ(A.size(), 1u);
}

TEST(CodeActions, NothingOutsideOrForOtherKinds) {
  EXPECT_TRUE(codeActionsFor(sample(), ask({{0, 0}, {0, 3}}, {}), Uri, Path, Text).empty());
  EXPECT_TRUE(
      codeActionsFor(sample(), ask({{1, 16}, {1, 16}}, {"refactor"}), Uri, Path, Text).empty());
  EXPECT_EQ(codeActionsFor(sample(), ask({{1, 16}, {1, 16}}, {"quickfix"}), Uri, Path, Text).size(),
            1u);
}

TEST(CodeActions, TheDiagnosticsTheClientNamesGetTheirFixAnywhereOnTheLine) {
  // The cursor at the start of line 2, before the diagnostic's range: by
  // the range alone, nothing.
  EXPECT_TRUE(codeActionsFor(sample(), ask({{1, 0}, {1, 0}}), Uri, Path, Text).empty());
  // The client sends the line's diagnostics, as Neovim and VS Code do; its
  // copy may have columns of its own (Neovim 0.7 sends bytes back).
  json Client = sample()[0].Lsp;
  Client["range"] = json::parse(R"({"start":{"line":1,"character":15},
                                    "end":{"line":1,"character":28}})");
  json A = codeActionsFor(sample(), ask({{1, 0}, {1, 0}}, {}, {Client}), Uri, Path, Text);
  ASSERT_EQ(A.size(), 1u);
  EXPECT_EQ(A[0]["diagnostics"][0], Client); // the client's own copy, as clangd
  EXPECT_EQ(A[0]["title"],
            "chan-ticker-not-stopped: insert `chan::Defer stop_t([&] { t.stop(); });`");

  // Named by the client and touching the range: one action, not two.
  EXPECT_EQ(
      codeActionsFor(sample(), ask({{1, 16}, {1, 16}}, {}, {Client}), Uri, Path, Text).size(),
      1u);
  // A client that keeps neither source nor code still names it.
  json Bare = {{"range", Client["range"]}, {"message", Client["message"]}};
  EXPECT_EQ(codeActionsFor(sample(), ask({{1, 0}, {1, 0}}, {}, {Bare}), Uri, Path, Text).size(),
            1u);
}

TEST(CodeActions, AnotherServersDiagnosticOrAnotherLineNamesNothing) {
  json Other = sample()[0].Lsp;
  Other["source"] = "clangd";
  json Moved = sample()[0].Lsp;
  Moved["range"] = json::parse(R"({"start":{"line":2,"character":15},
                                   "end":{"line":2,"character":25}})");
  json Renamed = sample()[0].Lsp;
  Renamed["message"] = "something else";
  json OtherCode = sample()[0].Lsp;
  OtherCode["code"] = 42;
  for (const json &C : {Other, Moved, Renamed, OtherCode})
    EXPECT_TRUE(codeActionsFor(sample(), ask({{0, 0}, {0, 0}}, {}, {C}), Uri, Path, Text).empty())
        << C.dump();
  // A diagnostic without a fix-it gets no action, named or not.
  EXPECT_TRUE(codeActionsFor(sample(), ask({{0, 0}, {0, 0}}, {}, {sample()[2].Lsp}), Uri, Path,
                             Text)
                  .empty());
}

TEST(CodeActions, RequestsAreReadStrictly) {
  json Params = json::parse(R"({"textDocument":{"uri":"file:///src/a.cpp"},
    "range":{"start":{"line":1,"character":0},"end":{"line":1,"character":0}},
    "context":{"diagnostics":[{"range":{"start":{"line":1,"character":2},
                                        "end":{"line":1,"character":9}},
                               "message":"m","code":"chan-x"}],
               "only":["quickfix"]}})");
  CodeActionRequest R = codeActionRequestFromJson(Params);
  EXPECT_EQ(R.Range, (LspRange{{1, 0}, {1, 0}}));
  ASSERT_EQ(R.Diagnostics.size(), 1u);
  EXPECT_EQ(R.Diagnostics[0]["code"], "chan-x");
  EXPECT_EQ(R.Only, std::vector<std::string>{"quickfix"});

  json NoContext = Params;
  NoContext.erase("context");
  EXPECT_TRUE(codeActionRequestFromJson(NoContext).Diagnostics.empty());
  for (const char *Bad : {R"({"diagnostics":{}})", R"({"diagnostics":[{"message":"m"}]})",
                          R"({"diagnostics":[{"range":{"start":{"line":0,"character":0},
                                                       "end":{"line":0,"character":0}}}]})",
                          R"({"only":"quickfix"})"}) {
    json P = Params;
    P["context"] = json::parse(Bad);
    EXPECT_THROW(codeActionRequestFromJson(P), json::exception) << Bad;
  }
}

TEST(CodeActions, EditsInOtherFilesAreKeyedByTheirUri) {
  auto D = sample();
  D[0].Fixes.push_back({"/src/h.hpp", at(0, 1, 1), at(0, 1, 1), "#include <x>\n"});
  json A = codeActionsFor(D, ask({{1, 16}, {1, 16}}, {}), Uri, Path, Text);
  ASSERT_EQ(A.size(), 1u);
  EXPECT_TRUE(A[0]["edit"]["changes"].contains("file:///src/h.hpp"));
  EXPECT_EQ(A[0]["title"], "chan-ticker-not-stopped: apply the fix-it (2 edits)");
}

} // namespace
