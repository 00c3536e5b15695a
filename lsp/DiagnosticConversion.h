// A TUResult as the LSP diagnostics of the document it analysed.
//
//   chan-* findings  -> severity Warning (as clang-tidy reports them),
//                       source "chanlint", code = the check's name,
//                       codeDescription.href = the check's documentation,
//                       relatedInformation = the notes
//   compiler errors  -> severity Error, source "clang"; an error in an
//                       included file is shown at the top of the document,
//                       with its place as relatedInformation
//   analysis failed  -> one diagnostic at the top of the document saying
//   (no errors)         why (e.g. an unusable compile command)
//
// Findings located in other files (headers, with a header filter) are not
// the document's and are left out.
#pragma once

#include "Protocol.h"

#include "Diagnostic.h"

#include <string>
#include <vector>

namespace chanlint::lsp {

/// One published diagnostic, with the fix-it that code actions offer.
struct PublishedDiagnostic {
  json Lsp;                                ///< the LSP Diagnostic object
  LspRange Range;                          ///< Lsp["range"], parsed
  std::string Check;                       ///< "" for compiler errors
  std::vector<driver::Replacement> Fixes;  ///< empty if there is none
};

LspPosition toLspPosition(const driver::Position &P);

/// Uri is the document's URI as the client spelled it; Path its normalized
/// path (the analysis reports locations by path).
std::vector<PublishedDiagnostic> toLspDiagnostics(const driver::TUResult &Result,
                                                  const std::string &Uri,
                                                  const std::string &Path);

} // namespace chanlint::lsp
