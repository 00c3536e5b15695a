// The whole analysis of one translation unit: finds the roots (free
// functions and classes), builds the views the enabled rules ask for
// (program models with their concurrency facts, function bodies), runs the
// registered rules (rules/RuleRegistry.h) and returns deduplicated findings
// in source order, with the places where a bound cut the analysis short.
// clang-tidy runs each check on its own, so the analysis of a TU is shared
// between them through TUAnalysis::shared.
#pragma once

#include "ModelFiles.h"
#include "Finding.h"
#include "PhaseTimes.h"
#include "ProgramModel.h"
#include "rules/RuleOptions.h"

#include "clang/AST/ASTContext.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chanlint {

struct AnalysisConfig {
  /// The library models: the built-in ones, and the user's files.
  ModelSet Models = ModelSet::builtin();
  RuleOptions Rules;
  ModelLimits Limits;
  /// The checks whose rules run; empty: every check in the catalogue.
  std::vector<CheckId> Enabled;
  bool enabled(CheckId Id) const;
  /// Identifies the configuration (for sharing and caching).
  std::string fingerprint() const;
};

struct AnalysisStats {
  unsigned Functions = 0;         ///< function bodies considered
  unsigned FunctionsWithoutCFG = 0;
  /// Bodies the function rules skipped without IR: they touch no channel
  /// (ChannelTouch).
  unsigned FunctionsUntouched = 0;
  /// Bodies whose IR was built: the ones that touch channels, and every
  /// body under CHANLINT_BUILD_ALL_IR.
  unsigned IRsBuilt = 0;
  unsigned Roots = 0;             ///< roots with channel operations
  unsigned RootsOverBudget = 0;   ///< skipped: too many tasks or frames
  unsigned Frames = 0;
  unsigned Tasks = 0;
  /// Frames and functions whose dataflow stopped at the engine's work
  /// bound before a fixed point (their results are partial).
  unsigned DataflowOverBound = 0;
  /// Where the time went (always measured: a few clock reads per phase).
  PhaseTimes Times;
};

class TUAnalysis {
public:
  static std::shared_ptr<TUAnalysis> run(clang::ASTContext &Ctx,
                                         const AnalysisConfig &Config);
  /// The analysis of this TU with this configuration, computed once.
  static std::shared_ptr<TUAnalysis> shared(clang::ASTContext &Ctx,
                                            const AnalysisConfig &Config);

  /// Sees every analysis that run() completes on the calling thread, with
  /// its AST still alive: the driver keeps the analyzer's own facts of each
  /// finding this way. Returns the observer it replaces.
  using Observer = std::function<void(const TUAnalysis &, clang::ASTContext &)>;
  static const Observer *observeOnThisThread(const Observer *O);

  /// True while an observer sees this thread's analyses. It then reports
  /// their bound hits itself (the driver, in every output and from its
  /// cache too); otherwise the clang-tidy checks say them on stderr.
  static bool observedOnThisThread();

  const std::vector<Finding> &findings() const { return Findings; }
  std::vector<const Finding *> findings(CheckId Id) const;
  /// Where a bound cut the analysis short, in source order, once per place.
  const std::vector<BoundHit> &boundHits() const { return BoundHits; }
  const AnalysisStats &stats() const { return Stats; }

private:
  std::vector<Finding> Findings;
  std::vector<BoundHit> BoundHits;
  AnalysisStats Stats;
};

} // namespace chanlint
