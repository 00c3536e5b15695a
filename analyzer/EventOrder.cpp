#include "EventOrder.h"

#include "engine/OrderFacts.h"

#include <vector>

namespace chanlint {

namespace {

/// The frames from the party's top frame down to the event's, each with the
/// op through which the next one runs (the event's own op last).
std::vector<std::pair<FrameId, OpLocation>> chainOf(const ProgramModel &M,
                                                     const Event &E) {
  std::vector<std::pair<FrameId, OpLocation>> Chain;
  FrameId F = E.Frame;
  OpLocation At = E.Loc;
  while (F != NoFrame) {
    Chain.emplace_back(F, At);
    const Frame &Fr = M.frame(F);
    At = Fr.InvokedAt;
    F = Fr.Parent;
  }
  return {Chain.rbegin(), Chain.rend()};
}

bool follows(const ProgramModel &M, FrameId F, OpLocation A, OpLocation B) {
  return M.frame(F).IR->order(engine::ExceptionEdges::Throws).mayFollow(A, B);
}

} // namespace

bool mayFollowInParty(const ProgramModel &M, const Event &A, const Event &B) {
  if (A.Party != B.Party)
    return false;
  auto CA = chainOf(M, A), CB = chainOf(M, B);
  size_t I = 0;
  while (I < CA.size() && I < CB.size() && CA[I].first == CB[I].first) {
    OpLocation LA = CA[I].second, LB = CB[I].second;
    if (LA.Block != LB.Block || LA.Index != LB.Index)
      return follows(M, CA[I].first, LA, LB);
    ++I;
  }
  if (I == 0)
    return false; // different top frames: not one party's run
  // Both run under the same op of frame Top: A is a case of a select and B
  // is in that case's callback, which runs after it; otherwise they are
  // in different frames under the op (two cases of one select) or are the
  // very same op, and only a loop around the op brings B after A.
  FrameId Top = CA[I - 1].first;
  OpLocation L = CA[I - 1].second;
  if (I == CA.size() && I < CB.size() && A.Case >= 0 &&
      M.caseFrame(Top, L, static_cast<unsigned>(A.Case)) == CB[I].first)
    return true;
  return follows(M, Top, L, L);
}

} // namespace chanlint
