// One function of a code snippet with the IR the engine works on, for the
// engine's unit tests.
#pragma once

#include "AnalyzerTestSupport.h"

#include "ApiIndex.h"
#include "FunctionIR.h"
#include "OpRecognizer.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

#include <memory>
#include <string>
#include <vector>

namespace chanlint::test {

/// One function of a snippet, with the IR the engine works on.
class Fixture : public Snippet {
public:
  explicit Fixture(const std::string &Code, const std::string &Name = "f")
      : Snippet(Code) {
    if (!parsed())
      return;
    using namespace clang::ast_matchers;
    auto Found = match(functionDecl(hasName(Name), isDefinition()).bind("f"),
                       AST->getASTContext());
    if (!Found.empty())
      IR = IRs->get(Found[0].getNodeAs<clang::FunctionDecl>("f"));
  }

  const FunctionIR *ir() const { return IR; }

private:
  const FunctionIR *IR = nullptr;
};

/// The ops of kind K in a function body, in source order.
inline std::vector<OpLocation> opsOf(const FunctionIR &IR, OpKind K) {
  std::vector<std::pair<unsigned, OpLocation>> Found;
  const clang::SourceManager &SM = IR.recognizer().context().getSourceManager();
  IR.forEachOp([&](const Op &O, OpLocation L) {
    if (O.Kind == K && O.Site)
      Found.emplace_back(SM.getFileOffset(SM.getExpansionLoc(O.Site->getBeginLoc())), L);
  });
  std::sort(Found.begin(), Found.end(),
            [](const auto &A, const auto &B) { return A.first < B.first; });
  std::vector<OpLocation> Out;
  for (const auto &F : Found)
    Out.push_back(F.second);
  return Out;
}

} // namespace chanlint::test
