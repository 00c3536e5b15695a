// The chan-* clang-tidy checks: one class for all, made per catalogue
// entry with the CheckId it reports. It asks the analysis core (shared by all checks
// of a TU) and turns its findings into clang-tidy diagnostics with notes and
// fix-its.
#pragma once

#include "CheckCatalog.h"
#include "TUAnalysis.h"

#include "ClangTidyCheck.h"

#include <memory>

namespace clang::tidy::chan {

class ChanCheck : public ClangTidyCheck {
public:
  ChanCheck(StringRef Name, ClangTidyContext *Context, chanlint::CheckId Id);

  bool isLanguageVersionSupported(const LangOptions &LangOpts) const override {
    return LangOpts.CPlusPlus20;
  }
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  chanlint::CheckId Id;
  chanlint::AnalysisConfig Config;
  /// Why the user's model files could not be loaded; the check then reports
  /// nothing but that.
  std::string ModelError;
  bool PhaseTimes = false; ///< chanlint.PhaseTimes: print where the time went
  /// Keeps the TU's shared analysis alive until every check has reported.
  std::shared_ptr<chanlint::TUAnalysis> Analysis;
};

} // namespace clang::tidy::chan
