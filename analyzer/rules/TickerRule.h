// chan-ticker-not-stopped works on one function body at a time.
#pragma once

#include "../EffectSummary.h"
#include "../Finding.h"
#include "RuleContext.h"

namespace chanlint {

struct TickerContext {
  clang::ASTContext &Ctx;
  IRCache &IRs;
  EffectSummaries &Summaries;
  const RuleOptions &Opts;
};

void checkTickersStopped(TickerContext &TC, const FunctionIR &IR,
                         std::vector<Finding> &Out);

} // namespace chanlint
