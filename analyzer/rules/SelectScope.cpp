#include "SelectScope.h"

namespace chanlint {

std::optional<SelectCaseScope> selectRunning(const ProgramModel &M,
                                             const Event &E) {
  for (FrameId F = E.Frame; F != NoFrame;) {
    const Frame &Cur = M.frame(F);
    if (Cur.Parent == NoFrame)
      return std::nullopt;
    const Op &Invoker = M.op(Cur.Parent, Cur.InvokedAt);
    if (Invoker.Kind == OpKind::Select)
      for (unsigned C = 0; C < Invoker.Cases.size(); ++C)
        if (M.caseFrame(Cur.Parent, Cur.InvokedAt, C) == F)
          return SelectCaseScope{Cur.Parent, Cur.InvokedAt, C};
    F = Cur.Parent;
  }
  return std::nullopt;
}

std::optional<unsigned> sendCaseOn(RuleContext &RC, const SelectCaseScope &S,
                                   ObjectId Channel) {
  const Op &Select = RC.Model.op(S.Frame, S.Loc);
  AliasSets &A = RC.Model.aliases();
  for (unsigned C = 0; C < Select.Cases.size(); ++C) {
    const SelectCase &Case = Select.Cases[C];
    if (C == S.Case || Case.K != SelectCase::Kind::Send || !Case.Channel)
      continue;
    if (A.find(RC.Model.objectOf(Case.Channel, S.Frame)) == A.find(Channel))
      return C;
  }
  return std::nullopt;
}

} // namespace chanlint
