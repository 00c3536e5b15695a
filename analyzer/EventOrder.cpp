#include "EventOrder.h"

#include "KnownAfterOp.h"
#include "StatementWrites.h"
#include "engine/OrderFacts.h"

#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

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

/// The handle variable both events of one frame name (`done.close()`
/// twice): B is on A's channel only while that variable keeps it.
const clang::ValueDecl *sameHandle(const Event &A, const Event &B) {
  if (!A.ChannelExpr || !B.ChannelExpr)
    return nullptr;
  const clang::ValueDecl *V = namedVariable(A.ChannelExpr);
  return V && V == namedVariable(B.ChannelExpr) ? V : nullptr;
}

/// May op B follow op A in frame F, with what is known once A (and the
/// frames it ran down to the event) returned?
bool follows(const ProgramModel &M, FrameId F, OpLocation A, OpLocation B,
             llvm::ArrayRef<FrameStep> BelowA, int CaseOfA,
             const clang::ValueDecl *KeptHandle) {
  engine::KnownAfter Known = knownAfterOp(M, F, A, BelowA, CaseOfA);
  Known.KeptHandle = KeptHandle;
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
    if (follows(M, CA[I].first, CA[I].second, CB[I].second,
                llvm::ArrayRef(CA).drop_front(I + 1),
                I + 1 == CA.size() ? A.Case : -1,
                I + 1 == CA.size() && I + 1 == CB.size() ? sameHandle(A, B)
                                                         : nullptr))
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
    if (follows(M, Top, L, L, llvm::ArrayRef(CA).drop_front(I),
                I == CA.size() ? A.Case : -1,
                I == CA.size() && I == CB.size() ? sameHandle(A, B) : nullptr))
      return true;
    Level = I - 1;
  }
  // Not within that frame's run: B still follows A if an outer frame runs
  // it again (a helper called in a loop, a select case's callback under a
  // loop), with what the frames below leave behind once they return.
  while (Level-- > 0) {
    OpLocation L = CA[Level].second;
    if (follows(M, CA[Level].first, L, L, llvm::ArrayRef(CA).drop_front(Level + 1),
                -1, nullptr))
      return true;
  }
  return false;
}

} // namespace chanlint
