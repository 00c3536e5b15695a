// What a rule over a program model gets: the model, its concurrency
// facts, the AST and the options. Rules append findings.
#pragma once

#include "../Concurrency.h"
#include "../Finding.h"
#include "../ProgramModel.h"

#include <vector>

namespace chanlint {

struct RuleOptions {
  /// chan-unguarded-send: flag blocking sends that ignore a context in scope.
  bool WarnWhenContextIgnored = true;
  /// chan-ticker-not-stopped: also check Timers, not only Tickers.
  bool CheckTimers = true;
};

struct RuleContext {
  clang::ASTContext &Ctx;
  const ApiIndex &Api;
  ProgramModel &Model;
  const Concurrency &Conc;
  const RuleOptions &Opts;
};

/// True when each run of a many-times task has its own channel: made
/// inside the task, its own element of a container, or made fresh in the
/// same loop iteration that starts the task.
bool channelPerRun(RuleContext &RC, ObjectId Channel, PartyId Task);

void checkReceiverClose(RuleContext &RC, std::vector<Finding> &Out);
void checkMultiSenderClose(RuleContext &RC, std::vector<Finding> &Out);
void checkUnguardedSend(RuleContext &RC, std::vector<Finding> &Out);

} // namespace chanlint
