// The whole analysis of one translation unit: finds the roots (free
// functions and classes), builds their program models, runs the rules and
// the ticker check, and returns deduplicated findings in source order.
// clang-tidy runs each check on its own, so the analysis of a TU is shared
// between them through TUAnalysis::shared.
#pragma once

#include "ApiModel.h"
#include "Finding.h"
#include "ProgramModel.h"
#include "rules/RuleContext.h"

#include "clang/AST/ASTContext.h"

#include <memory>
#include <string>
#include <vector>

namespace chanlint {

struct AnalysisConfig {
  ApiModel Model = ApiModel::chanLibrary();
  RuleOptions Rules;
  ModelLimits Limits;
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
};

class TUAnalysis {
public:
  static std::shared_ptr<TUAnalysis> run(clang::ASTContext &Ctx,
                                         const AnalysisConfig &Config);
  /// The analysis of this TU with this configuration, computed once.
  static std::shared_ptr<TUAnalysis> shared(clang::ASTContext &Ctx,
                                            const AnalysisConfig &Config);

  const std::vector<Finding> &findings() const { return Findings; }
  std::vector<const Finding *> findings(CheckId Id) const;
  const AnalysisStats &stats() const { return Stats; }

private:
  std::vector<Finding> Findings;
  AnalysisStats Stats;
};

} // namespace chanlint
