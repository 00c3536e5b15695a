// Builds an AST from a snippet that includes <chan/chan.hpp> and runs the
// analysis on it.
#pragma once

#include "CheckCatalog.h"
#include "ApiIndex.h"
#include "OpRecognizer.h"
#include "ProgramModel.h"
#include "TUAnalysis.h"

#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"

#include <memory>
#include <string>
#include <vector>

namespace chanlint::test {

/// Parses Code, after `#include <chan/chan.hpp>` unless WithChan is false.
/// chan's headers come precompiled (tests/analyzer/CMakeLists.txt) when the
/// build made them: the snippet's own include then finds them included.
inline std::unique_ptr<clang::ASTUnit> parse(const std::string &Code,
                                              bool WithChan = true) {
  std::vector<std::string> Args = {"-std=c++20", "-I" CHAN_INCLUDE_DIR,
                                   "-Wno-unused-value"};
#ifdef SNIPPET_PREFIX_PCH
  if (WithChan && llvm::sys::fs::exists(SNIPPET_PREFIX_PCH))
    Args.insert(Args.end(), {"-include-pch", SNIPPET_PREFIX_PCH});
#endif
  return clang::tooling::buildASTFromCodeWithArgs(
      (WithChan ? "#include <chan/chan.hpp>\n" : "") + Code, Args, "snippet.cpp");
}

/// A parsed snippet with what the analysis builds on it: the API index, the
/// operation recognizer and the IR cache. Lines are those of the snippet.
class Snippet {
public:
  explicit Snippet(const std::string &Code) : AST(parse(Code)) {
    if (!AST)
      return;
    Api = std::make_unique<ApiIndex>(ModelSet::builtin());
    Recognizer = std::make_unique<OpRecognizer>(*Api, AST->getASTContext());
    IRs = std::make_unique<IRCache>(*Recognizer);
  }

  bool parsed() const { return IRs != nullptr; }
  const OpRecognizer &recognizer() const { return *Recognizer; }
  unsigned line(const clang::Stmt *S) const {
    return AST->getSourceManager().getExpansionLineNumber(S->getBeginLoc()) - 1;
  }

protected:
  std::unique_ptr<clang::ASTUnit> AST;
  std::unique_ptr<ApiIndex> Api;
  std::unique_ptr<OpRecognizer> Recognizer;
  std::unique_ptr<IRCache> IRs;
};

/// "check:line:column" for every finding, in order (lines of the snippet).
inline std::vector<std::string> findingsOf(clang::ASTUnit &AST,
                                           const AnalysisConfig &Config = {}) {
  auto Result = TUAnalysis::run(AST.getASTContext(), Config);
  const clang::SourceManager &SM = AST.getSourceManager();
  std::vector<std::string> Out;
  for (const Finding &F : Result->findings())
    Out.push_back(checkInfo(F.Check).Name.drop_front(5).str() + ":" +
                  std::to_string(SM.getExpansionLineNumber(F.Loc) - 1) + ":" +
                  std::to_string(SM.getExpansionColumnNumber(F.Loc)));
  return Out;
}

} // namespace chanlint::test
