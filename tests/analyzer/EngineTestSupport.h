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
class Fixture {
public:
  explicit Fixture(const std::string &Code, const std::string &Name = "f")
      : AST(test::parse(Code)) {
    if (!AST)
      return;
    clang::ASTContext &Ctx = AST->getASTContext();
    Api = std::make_unique<ApiIndex>(ApiModel::chanLibrary());
    Recognizer = std::make_unique<OpRecognizer>(*Api, Ctx);
    IRs = std::make_unique<IRCache>(*Recognizer);
    using namespace clang::ast_matchers;
    auto Found = match(functionDecl(hasName(Name), isDefinition()).bind("f"), Ctx);
    if (!Found.empty())
      IR = IRs->get(Found[0].getNodeAs<clang::FunctionDecl>("f"));
  }

  const FunctionIR *ir() const { return IR; }
  unsigned line(const clang::Stmt *S) const {
    return AST->getSourceManager().getExpansionLineNumber(S->getBeginLoc()) - 1;
  }

private:
  std::unique_ptr<clang::ASTUnit> AST;
  std::unique_ptr<ApiIndex> Api;
  std::unique_ptr<OpRecognizer> Recognizer;
  std::unique_ptr<IRCache> IRs;
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
