// The program model of a snippet's root for the unit tests of the parts
// that work on it (concurrency, path resolution, event order).
#pragma once

#include "AnalyzerTestSupport.h"

#include "ApiIndex.h"
#include "OpRecognizer.h"
#include "ProgramModel.h"

#include "clang/AST/DeclCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"

#include <memory>
#include <string>
#include <vector>

namespace chanlint::test {

/// The program model of one root of a snippet, built as TUAnalysis builds
/// it. Lines are those of the snippet.
class Model : public Snippet {
public:
  explicit Model(const std::string &Code,
                 const std::vector<std::string> &Entries = {"f"},
                 const std::string &Class = "")
      : Snippet(Code) {
    if (!parsed())
      return;
    clang::ASTContext &Ctx = AST->getASTContext();
    using namespace clang::ast_matchers;
    Root R;
    if (!Class.empty()) {
      auto Found = match(cxxRecordDecl(hasName(Class), isDefinition(),
                                       isExpansionInMainFile())
                             .bind("c"),
                         Ctx);
      if (Found.empty())
        return;
      R.Class = Found[0].getNodeAs<clang::CXXRecordDecl>("c");
    }
    for (const std::string &E : Entries) {
      std::string Name = Class.empty() ? E : Class + "::" + E;
      auto Found = match(functionDecl(hasName(Name), isDefinition(),
                                      isExpansionInMainFile())
                             .bind("f"),
                         Ctx);
      if (Found.empty())
        return;
      R.Entries.push_back(Found[0].getNodeAs<clang::FunctionDecl>("f"));
    }
    M = ProgramModel::build(R, *IRs, ModelLimits{});
  }

  bool ok() const { return M != nullptr; }
  ProgramModel &model() { return *M; }

  std::vector<const Event *> events(Event::Kind K, unsigned Line) const {
    std::vector<const Event *> Out;
    for (const Event &E : M->events())
      if (E.K == K && E.Site && line(E.Site) == Line)
        Out.push_back(&E);
    return Out;
  }
  const Event *event(Event::Kind K, unsigned Line) const {
    std::vector<const Event *> V = events(K, Line);
    return V.size() == 1 ? V[0] : nullptr;
  }
  /// A variable or parameter of the snippet.
  const clang::VarDecl *var(const std::string &Name) const {
    using namespace clang::ast_matchers;
    auto Found = match(varDecl(hasName(Name), isExpansionInMainFile()).bind("v"),
                       AST->getASTContext());
    return Found.empty() ? nullptr : Found[0].getNodeAs<clang::VarDecl>("v");
  }
  const clang::FieldDecl *field(const std::string &Name) const {
    using namespace clang::ast_matchers;
    auto Found = match(fieldDecl(hasName(Name), isExpansionInMainFile()).bind("f"),
                       AST->getASTContext());
    return Found.empty() ? nullptr : Found[0].getNodeAs<clang::FieldDecl>("f");
  }
  /// The first frame running a function of this name ("f", "operator()").
  FrameId frameOf(const std::string &Name) const {
    for (const Frame &F : M->frames())
      if (F.IR->function()->getNameAsString() == Name)
        return F.Id;
    return NoFrame;
  }
  /// The canonical object of a variable as seen from a frame.
  ObjectId objectOfVar(const std::string &Name, FrameId F) {
    return M->aliases().object(M->varPath(var(Name), F));
  }
  ObjectId channelOf(const Event *E) { return M->aliases().find(E->Channel); }

protected:
  std::unique_ptr<ProgramModel> M;
};

} // namespace chanlint::test
