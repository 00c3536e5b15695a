// Builds an AST from a snippet that includes <chan/chan.hpp> and runs the
// analysis on it.
#pragma once

#include "CheckCatalog.h"
#include "TUAnalysis.h"

#include "clang/Frontend/ASTUnit.h"
#include "clang/Tooling/Tooling.h"

#include <memory>
#include <string>
#include <vector>

namespace chanlint::test {

inline std::unique_ptr<clang::ASTUnit> parse(const std::string &Code) {
  std::vector<std::string> Args = {"-std=c++20", "-I" CHAN_INCLUDE_DIR,
                                   "-Wno-unused-value"};
  return clang::tooling::buildASTFromCodeWithArgs(
      "#include <chan/chan.hpp>\n" + Code, Args, "snippet.cpp");
}

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
