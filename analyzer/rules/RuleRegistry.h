// The rules chanlint runs, registered by the rule files themselves. A rule
// names its check (the catalogue entry, CheckCatalog.cpp) and asks one of
// two views of the code:
//  - a program (OnProgram): a root's parties, frames and channel events,
//    with the engine's concurrency facts (RuleContext);
//  - a function body (OnFunction): its IR and flow graph, on which it runs
//    the engine's dataflow (FunctionRuleContext).
// Only the rules of enabled checks run, and the views no enabled rule asks
// for are not built. The engine stamps each finding with the rule's check.
//
//   static RuleRegistry::Add Register({"chan-my-check", checkMyCheck});
#pragma once

#include "RuleContext.h"

#include "../EffectSummary.h"

#include "llvm/ADT/ArrayRef.h"

#include <vector>

namespace chanlint {

/// What a rule over one function body gets.
struct FunctionRuleContext {
  clang::ASTContext &Ctx;
  IRCache &IRs;
  EffectSummaries &Summaries;
  const RuleOptions &Opts;
  /// Functions whose dataflow hit the engine's work bound.
  unsigned FunctionsOverBound = 0;
};

using ProgramRuleFn = void (*)(RuleContext &, std::vector<Finding> &);
using FunctionRuleFn = void (*)(FunctionRuleContext &, const FunctionIR &,
                                std::vector<Finding> &);

struct Rule {
  llvm::StringRef Check; ///< the catalogue name, "chan-receiver-close"
  ProgramRuleFn OnProgram = nullptr;
  FunctionRuleFn OnFunction = nullptr;
};

class RuleRegistry {
public:
  /// Every registered rule, in registration order.
  static llvm::ArrayRef<Rule> all();

  struct Add {
    Add(llvm::StringRef Check, ProgramRuleFn Fn);
    Add(llvm::StringRef Check, FunctionRuleFn Fn);
  };
};

} // namespace chanlint
