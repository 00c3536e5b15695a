// What a rule over a program model gets: the model, its concurrency
// facts, the AST and the options. Rules append findings.
#pragma once

#include "RuleOptions.h"

#include "../Concurrency.h"
#include "../Finding.h"
#include "../ProgramModel.h"

#include <vector>

namespace chanlint {

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

} // namespace chanlint
