// The whole analysis of one translation unit: finds the roots (free
// functions and classes), builds the views the enabled rules ask for
// (program models with their concurrency facts, function bodies), runs the
// registered rules (rules/RuleRegistry.h) and returns deduplicated findings
// in source order.
// clang-tidy runs each check on its own, so the analysis of a TU is shared
// between them through TUAnalysis::shared.
#pragma once

#include "ApiModel.h"
#include "Finding.h"
#include "ProgramModel.h"
#include "rules/RuleOptions.h"

#include "clang/AST/ASTContext.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chanlint {

struct AnalysisConfig {
  ApiModel Model = ApiModel::chanLibrary();
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
  unsigned Roots = 0;             ///< roots with channel operations
  unsigned RootsOverBudget = 0;   ///< skipped: the work bound was hit
  unsigned Frames = 0;
  unsigned Tasks = 0;
  /// Frames and functions whose dataflow stopped at the engine's work
  /// bound before a fixed point (their results are partial).
  unsigned DataflowOverBound = 0;
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

  const std::vector<Finding> &findings() const { return Findings; }
  std::vector<const Finding *> findings(CheckId Id) const;
  const AnalysisStats &stats() const { return Stats; }

private:
  std::vector<Finding> Findings;
  AnalysisStats Stats;
};

} // namespace chanlint
