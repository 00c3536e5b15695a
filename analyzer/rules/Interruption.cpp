#include "Interruption.h"

using namespace clang;

namespace chanlint {

bool interruptEndsWait(RuleContext &RC, PartyId Task, const Stmt *Site) {
  const Party &T = RC.Model.party(Task);
  if (!T.isTask() || (T.Handle == ~0u && T.Group == ~0u) ||
      !RC.Api.isInterruptionPoint(Site))
    return false;
  AliasSets &A = RC.Model.aliases();
  auto Names = [&](ObjectId Handle, ObjectId Interrupted) {
    return Handle != ~0u && A.find(Handle) == Interrupted;
  };
  for (const Frame &F : RC.Model.frames()) {
    if (F.Party == Task)
      continue; // a thread does not interrupt itself out of a wait
    bool Found = false;
    F.IR->forEachOp([&](const Op &O, OpLocation L) {
      if (Found || O.Kind != OpKind::Interrupt)
        return;
      // An interrupt before the start or after the join asks nobody.
      if (!RC.Conc.view(F.Id, L).test(T.TaskIndex))
        return;
      ObjectId Interrupted = A.find(RC.Model.objectOf(O.Object, F.Id));
      Found = Names(T.Handle, Interrupted) || Names(T.Group, Interrupted);
    });
    if (Found)
      return true;
  }
  return false;
}

} // namespace chanlint
