#include "ChanCheck.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Basic/SourceManager.h"

#include "llvm/Support/raw_ostream.h"

using namespace clang::ast_matchers;

namespace clang::tidy::chan {

namespace {

/// Rule options belong to the check they tune, but the analysis is shared:
/// every check reads all of them under their owners' names, as the
/// catalogue lists them.
chanlint::RuleOptions readRuleOptions(ClangTidyContext *Context) {
  const auto &All = Context->getOptions().CheckOptions;
  chanlint::RuleOptions R;
  for (const chanlint::CheckInfo &Info : chanlint::allChecks()) {
    ClangTidyCheck::OptionsView View(Info.Name, All, Context);
    for (const chanlint::CheckOption &O : Info.Options)
      R.set(Info.id(), O.Name, View.get(O.Name, O.Default));
  }
  return R;
}

/// The chan-* checks enabled for this file: the shared analysis runs only
/// their rules.
std::vector<chanlint::CheckId> enabledChecks(ClangTidyContext *Context) {
  std::vector<chanlint::CheckId> Out;
  for (const chanlint::CheckInfo &Info : chanlint::allChecks())
    if (Context->isCheckEnabled(Info.Name))
      Out.push_back(Info.id());
  return Out;
}

/// A bound hit as a line on stderr, where clang-tidy users see it next to
/// the findings (it is not one): the place as clang prints it, what was cut
/// short, and the bound's name as SARIF and JSON give it.
void printBoundHit(llvm::raw_ostream &OS, const chanlint::BoundHit &B,
                   const SourceManager &SM) {
  OS << "chanlint: warning: ";
  PresumedLoc Where = SM.getPresumedLoc(SM.getFileLoc(B.Loc));
  if (Where.isValid())
    OS << Where.getFilename() << ":" << Where.getLine() << ":" << Where.getColumn() << ": ";
  OS << B.Message << " [chanlint.bound." << chanlint::BoundHit::name(B.Bound) << "]\n";
}

/// One line per TU: where the shared analysis spent its time.
void printPhaseTimes(llvm::raw_ostream &OS, const chanlint::TUAnalysis &A,
                     llvm::StringRef File) {
  std::string Line;
  llvm::raw_string_ostream S(Line);
  S << "chanlint: phase times: " << File << ": ";
  A.stats().Times.print(S);
  S << "; IR of " << A.stats().IRsBuilt << " of " << A.stats().Functions << " bodies\n";
  OS << Line; // one write: lines of parallel TUs do not interleave
}

/// The library models: the built-in ones and the files the global option
/// chanlint.ModelFiles names (relative to the .clang-tidy naming them).
llvm::Expected<chanlint::ModelSet> readModels(ClangTidyContext *Context) {
  const auto &All = Context->getOptions().CheckOptions;
  auto It = All.find(chanlint::ModelFilesOption);
  return chanlint::modelsNamedBy(It == All.end() ? "" : It->second.Value,
                                 Context->getCurrentFile());
}

} // namespace

ChanCheck::ChanCheck(StringRef Name, ClangTidyContext *Context,
                     chanlint::CheckId Id)
    : ClangTidyCheck(Name, Context), Id(Id) {
  Config.Rules = readRuleOptions(Context);
  Config.Enabled = enabledChecks(Context);
  PhaseTimes = Options.getLocalOrGlobal(chanlint::PhaseTimesOption, false);
  auto Models = readModels(Context);
  if (Models) {
    Config.Models = std::move(*Models);
    return;
  }
  ModelError = llvm::toString(Models.takeError());
  // Every check reads the same files: the first enabled one says it.
  if (!Config.Enabled.empty() && Id == Config.Enabled.front())
    configurationDiag("invalid library model: %0", DiagnosticIDs::Error) << ModelError;
}

void ChanCheck::registerMatchers(MatchFinder *Finder) {
  // The analysis is whole-TU: it runs once, when the TU is matched.
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void ChanCheck::check(const MatchFinder::MatchResult &Result) {
  if (!ModelError.empty())
    return; // no analysis with a model the user did not mean
  Analysis = chanlint::TUAnalysis::shared(*Result.Context, Config);
  // The checks share one analysis: the first enabled one says its bound
  // hits, unless an observer (the driver) reports them itself.
  bool First = !Config.Enabled.empty() && Id == Config.Enabled.front();
  if (First && !chanlint::TUAnalysis::observedOnThisThread())
    for (const chanlint::BoundHit &B : Analysis->boundHits())
      printBoundHit(llvm::errs(), B, Result.Context->getSourceManager());
  if (First && PhaseTimes)
    printPhaseTimes(llvm::errs(), *Analysis, getCurrentMainFile());
  for (const chanlint::Finding *F : Analysis->findings(Id)) {
    {
      auto D = diag(F->Loc, "%0") << F->Message;
      D << F->Range;
      for (const FixItHint &Fix : F->Fixes)
        D << Fix;
    }
    for (const chanlint::FindingNote &N : F->Notes)
      diag(N.Loc, "%0", DiagnosticIDs::Note) << N.Message;
  }
}

void ChanCheck::onEndOfTranslationUnit() { Analysis.reset(); }

} // namespace clang::tidy::chan
