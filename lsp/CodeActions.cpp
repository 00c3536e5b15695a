#include "CodeActions.h"

#include "Uri.h"

#include <algorithm>

namespace chanlint::lsp {

namespace {

LspRange rangeOf(const driver::Replacement &R) {
  return {toLspPosition(R.Begin), toLspPosition(R.End)};
}

/// The first line of S, trimmed, at most 40 bytes (cut at a character
/// boundary): enough to tell one fix from another in a menu.
std::string snippet(std::string_view S) {
  std::size_t Begin = S.find_first_not_of(" \t\r\n");
  if (Begin == std::string_view::npos)
    return "";
  S.remove_prefix(Begin);
  S = S.substr(0, S.find_first_of("\r\n"));
  while (!S.empty() && (S.back() == ' ' || S.back() == '\t'))
    S.remove_suffix(1);
  if (S.size() <= 40)
    return std::string(S);
  std::size_t Cut = 40;
  while (Cut > 0 && (static_cast<unsigned char>(S[Cut]) & 0xC0) == 0x80)
    --Cut;
  return std::string(S.substr(0, Cut)) + "...";
}

/// "chan-ticker-not-stopped: insert `chan::Defer stop_t(...)`", and the
/// like for a removal or a replacement in the document.
std::string titleOf(const PublishedDiagnostic &D, const std::string &Path,
                    std::string_view Text) {
  std::string What = "apply the fix-it";
  if (D.Fixes.size() == 1) {
    const driver::Replacement &R = D.Fixes.front();
    std::string Old = R.File == Path && R.End.Offset <= Text.size() && R.Begin.Offset <= R.End.Offset
                          ? snippet(Text.substr(R.Begin.Offset, R.End.Offset - R.Begin.Offset))
                          : "";
    std::string New = snippet(R.Text);
    if (R.length() == 0 && !New.empty())
      What = "insert `" + New + "`";
    else if (R.Text.empty() && !Old.empty())
      What = "remove `" + Old + "`";
    else if (!Old.empty() && !New.empty())
      What = "replace `" + Old + "` with `" + New + "`";
  } else if (D.Fixes.size() > 1) {
    What = "apply the fix-it (" + std::to_string(D.Fixes.size()) + " edits)";
  }
  return D.Check + ": " + What;
}

/// Whether the client's diagnostic C is its copy of D. Clients echo what
/// was published, but may re-encode columns (Neovim 0.7 sends byte
/// columns back), so the line stands in for the range; source and code, if
/// the client kept them, tell chanlint's from another server's.
bool namesDiagnostic(const json &C, const PublishedDiagnostic &D) {
  auto Same = [&](const char *Key) {
    auto It = C.find(Key);
    return It == C.end() || It->is_null() || D.Lsp.value(Key, json()) == *It;
  };
  return C.value("message", json()) == D.Lsp.value("message", json()) &&
         rangeFromJson(C.at("range")).Start.Line == D.Range.Start.Line && Same("source") &&
         Same("code");
}

bool wantsQuickFixes(const std::vector<std::string> &Only) {
  // Kinds are hierarchical: asking for "quickfix" or for a parent of it.
  return Only.empty() || std::any_of(Only.begin(), Only.end(), [](const std::string &K) {
           return K.empty() || K == "quickfix";
         });
}

} // namespace

CodeActionRequest codeActionRequestFromJson(const json &Params) {
  CodeActionRequest R;
  R.Range = rangeFromJson(Params.at("range"));
  auto Context = Params.find("context");
  if (Context == Params.end() || Context->is_null())
    return R; // required by the protocol, but nothing in it is needed
  if (auto It = Context->find("diagnostics"); It != Context->end()) {
    for (const json &D : It->get_ref<const json::array_t &>()) {
      // A diagnostic needs a range and a message; a wrong shape throws.
      rangeFromJson(D.at("range"));
      D.at("message").get_ref<const std::string &>();
      R.Diagnostics.push_back(D);
    }
  }
  if (auto It = Context->find("only"); It != Context->end())
    for (const json &Kind : It->get_ref<const json::array_t &>())
      R.Only.push_back(Kind.get<std::string>());
  return R;
}

json codeActionsFor(const std::vector<PublishedDiagnostic> &Diagnostics,
                    const CodeActionRequest &Request, const std::string &Uri,
                    const std::string &Path, std::string_view Text) {
  json Actions = json::array();
  if (!wantsQuickFixes(Request.Only))
    return Actions;
  for (const PublishedDiagnostic &D : Diagnostics) {
    if (D.Fixes.empty())
      continue;
    // The client's copy, when it sent one: the action names what it shows.
    auto Named = std::find_if(Request.Diagnostics.begin(), Request.Diagnostics.end(),
                              [&](const json &C) { return namesDiagnostic(C, D); });
    bool Touches = D.Range.touches(Request.Range) ||
                   std::any_of(D.Fixes.begin(), D.Fixes.end(), [&](const driver::Replacement &R) {
                     return R.File == Path && rangeOf(R).touches(Request.Range);
                   });
    if (Named == Request.Diagnostics.end() && !Touches)
      continue;
    json Changes = json::object();
    for (const driver::Replacement &R : D.Fixes) {
      std::string EditUri = R.File == Path ? Uri : fileUriFromPath(R.File);
      Changes[EditUri].push_back({{"range", toJson(rangeOf(R))}, {"newText", R.Text}});
    }
    Actions.push_back(
        {{"title", titleOf(D, Path, Text)},
         {"kind", "quickfix"},
         {"diagnostics", json::array({Named != Request.Diagnostics.end() ? *Named : D.Lsp})},
         {"isPreferred", true},
         {"edit", {{"changes", std::move(Changes)}}}});
  }
  return Actions;
}

} // namespace chanlint::lsp
