#include "EventOrder.h"

#include "HandleTrace.h"
#include "KnownAfterOp.h"
#include "engine/OrderFacts.h"

#include <utility>
#include <vector>

namespace chanlint {

namespace {

/// The frames from the party's top frame down to the event's, each with the
/// op through which the next one runs (the event's own op last).
std::vector<FrameStep> chainOf(const ProgramModel &M,
                                                     const Event &E) {
  std::vector<FrameStep> Chain;
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

/// May op B follow op A in frame F, with what is known once A (and the
/// frames it ran down to the event) returned?
bool follows(const ProgramModel &M, FrameId F, OpLocation A, OpLocation B,
             llvm::ArrayRef<FrameStep> BelowA, int CaseOfA,
             engine::KnownAfter::Rebinding Rebinds) {
  engine::KnownAfter Known = knownAfterOp(M, F, A, BelowA, CaseOfA);
  Known.Rebinds = std::move(Rebinds);
  const FunctionIR &IR = *M.frame(F).IR;
  // A frame below that must throw leaves A only by the call edges.
  return IR.order(Known.OnlyByThrow ? engine::ExceptionEdges::ThrowsAndCalls
                                    : engine::ExceptionEdges::Throws)
      .mayFollow(A, B, Known);
}

} // namespace

bool mayFollowInParty(const ProgramModel &M, const Event &A, const Event &B) {
  if (A.Party != B.Party)
    return false;
  auto CA = chainOf(M, A), CB = chainOf(M, B);
  // How each event names its channel in the frames of its chain: in a frame
  // where both go through one variable, a new channel stored into it on the
  // way gives B another channel (HandleTrace.h); where every run of the op
  // gives B a channel of its own (a local of the helper it calls), no path
  // through it brings B after A on the same channel.
  std::vector<HandleAtFrame> HA = traceHandle(M, A, CA), HB = traceHandle(M, B, CB);
  auto FollowsAt = [&](size_t Level, OpLocation From, OpLocation To,
                       llvm::ArrayRef<FrameStep> BelowA, int CaseOfA) {
    if (HB[Level].NewEveryRun)
      return false;
    FrameId F = CA[Level].first;
    engine::KnownAfter::Rebinding Rebinds;
    if (HA[Level].Name && HA[Level].Name == HB[Level].Name) {
      const FunctionIR &IR = *M.frame(F).IR;
      Rebinds = rebindsAfter(HA[Level].Name, IR.function(), M.op(F, From).Site,
                             IR.recognizer());
    }
    return follows(M, F, From, To, BelowA, CaseOfA, std::move(Rebinds));
  };
  // The innermost frame that runs both: where their chains part (two ops
  // of one frame) or end (the same op, or two frames under it).
  size_t I = 0;
  bool Parted = false;
  while (I < CA.size() && I < CB.size() && CA[I].first == CB[I].first) {
    OpLocation LA = CA[I].second, LB = CB[I].second;
    if (LA.Block != LB.Block || LA.Index != LB.Index) {
      Parted = true;
      break;
    }
    ++I;
  }
  size_t Level;
  if (Parted) {
    if (FollowsAt(I, CA[I].second, CB[I].second, llvm::ArrayRef(CA).drop_front(I + 1),
                  I + 1 == CA.size() ? A.Case : -1))
      return true;
    Level = I;
  } else {
    if (I == 0)
      return false; // different top frames: not one party's run
    // Both run under the same op of frame Top: A is a case of a select and
    // B is in that case's callback, which runs after it; otherwise they are
    // in different frames under the op (two cases of one select) or are the
    // very same op, and only a loop around the op brings B after A.
    FrameId Top = CA[I - 1].first;
    OpLocation L = CA[I - 1].second;
    if (I == CA.size() && I < CB.size() && A.Case >= 0 &&
        M.caseFrame(Top, L, static_cast<unsigned>(A.Case)) == CB[I].first)
      return true;
    if (FollowsAt(I - 1, L, L, llvm::ArrayRef(CA).drop_front(I),
                  I == CA.size() ? A.Case : -1))
      return true;
    Level = I - 1;
  }
  // Not within that frame's run: B still follows A if an outer frame runs
  // it again (a helper called in a loop, a select case's callback under a
  // loop), with what the frames below leave behind once they return.
  while (Level-- > 0) {
    OpLocation L = CA[Level].second;
    if (FollowsAt(Level, L, L, llvm::ArrayRef(CA).drop_front(Level + 1), -1))
      return true;
  }
  return false;
}

} // namespace chanlint
