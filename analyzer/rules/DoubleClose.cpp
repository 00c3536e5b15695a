// chan-double-close: a close that may run after another close of the same
// channel. In one party, the engine's order of events decides (a deferred
// close runs at its scope exit, after an explicit one; a close on an error
// path that returns and one on the success path never both run). Two
// parties that each close the channel close it twice once both have run,
// unless the party that starts them does so on paths that exclude each
// other.
//
// A close that races with sends is chan-receiver-close's or
// chan-multi-sender-close's (their fix removes it); closes behind chan::Once
// or a check-and-set flag run once by construction.
#include "CloseFacts.h"
#include "ClosedSend.h"
#include "LastOneCloses.h"
#include "RuleRegistry.h"
#include "SourceEdits.h"

#include "../AncestorWalk.h"
#include "../EventOrder.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

#include <optional>

namespace chanlint {

namespace {

/// The close works on the loop variable of a range-for around it (`for
/// (auto &[id, ch] : subs) ch.close();`): each iteration closes another
/// element.
bool closesLoopElement(RuleContext &RC, const Event &Close) {
  const auto *DRE = llvm::dyn_cast_or_null<clang::DeclRefExpr>(
      Close.ChannelExpr ? Close.ChannelExpr->IgnoreParenImpCasts() : nullptr);
  if (!DRE)
    return false;
  const clang::ValueDecl *D = DRE->getDecl();
  for (const clang::Stmt *L = enclosingLoop(Close.Site, RC.Ctx); L;
       L = enclosingLoop(L, RC.Ctx)) {
    const auto *FR = llvm::dyn_cast<clang::CXXForRangeStmt>(L);
    if (!FR)
      continue;
    const clang::VarDecl *V = FR->getLoopVariable();
    if (V == D)
      return true;
    if (const auto *DD = llvm::dyn_cast_or_null<clang::DecompositionDecl>(V))
      for (const clang::BindingDecl *B : DD->bindings())
        if (B == D)
          return true;
  }
  return false;
}

bool runsOnce(RuleContext &RC, const Event &Close) {
  return Close.ViaOnce || closeGuardedByFlag(RC, Close.Site);
}

/// Where an event of party P stands in party Q, an ancestor of P (or P
/// itself): the event, or the op of Q that started the task running it
/// (through the tasks that started it).
std::optional<Event> anchorIn(const ProgramModel &M, const Event &E,
                              PartyId Q) {
  Event Cur = E;
  for (unsigned Guard = 0; Cur.Party != Q; ++Guard) {
    const Party &P = M.party(Cur.Party);
    if (!P.isTask() || P.Spawner == NoParty || Guard > 16)
      return std::nullopt;
    Event Spawn;
    Spawn.Party = P.Spawner;
    Spawn.Frame = P.SpawnFrame;
    Spawn.Loc = P.SpawnOp;
    Spawn.Site = P.SpawnSite;
    Cur = Spawn;
  }
  return Cur;
}

/// The nearest party that runs (or started) both events, with where each
/// stands in it.
struct CommonAnchors {
  Event A, B;
};
std::optional<CommonAnchors> commonAnchors(const ProgramModel &M,
                                           const Event &A, const Event &B) {
  PartyId Q = A.Party;
  for (unsigned Guard = 0; Q != NoParty && Guard < 16; ++Guard) {
    std::optional<Event> AA = anchorIn(M, A, Q), AB = anchorIn(M, B, Q);
    if (AA && AB)
      return CommonAnchors{*AA, *AB};
    const Party &P = M.party(Q);
    Q = P.isTask() ? P.Spawner : NoParty;
  }
  return std::nullopt;
}

bool sameOp(const Event &A, const Event &B) {
  return A.Frame == B.Frame && A.Loc.Block == B.Loc.Block &&
         A.Loc.Index == B.Loc.Index;
}

/// For closes in different parties, what the party that runs both (or
/// started their tasks) says of their order: Exclusive if they never both
/// run (a task started only on a path that does not reach the other close,
/// tasks started on the two branches of an if), BSecond if A is that
/// party's own close and B's task is started only after it (ASecond the
/// other way round), Unknown otherwise.
enum class SpawnOrder { Exclusive, ASecond, BSecond, Unknown };
SpawnOrder orderBySpawns(RuleContext &RC, const Event &A, const Event &B) {
  const ProgramModel &M = RC.Model;
  std::optional<CommonAnchors> C = commonAnchors(M, A, B);
  // A party that runs many times may take one path in one run and the
  // other in the next.
  if (!C || sameOp(C->A, C->B) || M.party(C->A.Party).Many)
    return SpawnOrder::Unknown;
  bool BAfterA = mayFollowInParty(M, C->A, C->B);
  bool AAfterB = mayFollowInParty(M, C->B, C->A);
  if (!BAfterA && !AAfterB)
    return SpawnOrder::Exclusive;
  // A close of the common party itself, and a task started only after it.
  if (sameOp(C->A, A) && !AAfterB)
    return SpawnOrder::BSecond;
  if (sameOp(C->B, B) && !BAfterA)
    return SpawnOrder::ASecond;
  return SpawnOrder::Unknown;
}

/// For closes in different parties: which one comes second. A close of the
/// party that starts the other's task, before it starts it, is first; a
/// task that has surely ended before the other close (joined, waited for)
/// closed first; otherwise the one written later is named the second.
bool closesSecond(RuleContext &RC, const Event &A, const Event &B,
                  SpawnOrder Order) {
  if (Order == SpawnOrder::BSecond)
    return true;
  if (Order == SpawnOrder::ASecond)
    return false;
  const Party &PA = RC.Model.party(A.Party), &PB = RC.Model.party(B.Party);
  if (PA.isTask() && !RC.Conc.view(B).test(PA.TaskIndex) &&
      !RC.Conc.mayHappenInParallel(A, B))
    return true; // A's task is over when B closes
  if (PB.isTask() && !RC.Conc.view(A).test(PB.TaskIndex) &&
      !RC.Conc.mayHappenInParallel(A, B))
    return false;
  const clang::SourceManager &SM = RC.Ctx.getSourceManager();
  return SM.isBeforeInTranslationUnit(SM.getExpansionLoc(A.Site->getBeginLoc()),
                                      SM.getExpansionLoc(B.Site->getBeginLoc()));
}

/// True if the statement cannot fall through: a `return` or a `throw`.
bool leaves(const clang::Stmt *S) {
  if (!S)
    return false;
  if (const auto *CS = llvm::dyn_cast<clang::CompoundStmt>(S))
    return !CS->body_empty() && leaves(CS->body_back());
  if (llvm::isa<clang::ReturnStmt>(S))
    return true;
  if (const auto *E = llvm::dyn_cast<clang::Expr>(S))
    return llvm::isa<clang::CXXThrowExpr>(E->IgnoreImplicit());
  return false;
}

/// A send prepared for the close (in a try block that catches
/// closed_channel_error) whose handlers all end the party's run: on a
/// closed channel it throws and the run is over, so nothing after it
/// runs. The try must be in the party's own body (a return from a helper
/// goes on in its caller); the send may be in it or in a helper it calls.
bool caughtSendEndsRun(RuleContext &RC, const Event &S) {
  const ProgramModel &M = RC.Model;
  const Party &P = M.party(S.Party);
  const clang::Stmt *Site = S.Site;
  FrameId F = S.Frame;
  while (F != P.Top) {
    const Frame &Fr = M.frame(F);
    if (Fr.Parent == NoFrame)
      return false;
    Site = M.op(Fr.Parent, Fr.InvokedAt).Site;
    F = Fr.Parent;
  }
  if (!Site)
    return false;
  const clang::CXXTryStmt *Try = nullptr;
  walkUpInFunction(Site, RC.Ctx, [&](const clang::DynTypedNode &N,
                                     const clang::Stmt *Child) {
    const auto *T = N.get<clang::CXXTryStmt>();
    if (T && T->getTryBlock() == Child)
      Try = T;
    return Try != nullptr;
  });
  if (!Try || Try->getNumHandlers() == 0)
    return false;
  for (unsigned I = 0; I < Try->getNumHandlers(); ++I)
    if (!leaves(Try->getHandler(I)->getHandlerBlock()))
      return false;
  return true;
}

/// True if a send on a closed channel ends the party's run there: it
/// throws and nothing here catches it, or a handler that ends the run
/// does; or it hangs. One that returns a status goes on.
bool sendStopsRun(RuleContext &RC, const Event &S) {
  switch (closedSend(RC, S).What) {
  case ClosedSend::Outcome::Throws:
    return !S.CatchesClose || caughtSendEndsRun(RC, S);
  case ClosedSend::Outcome::Hangs:
    return true;
  default:
    return false;
  }
}

/// A send between the two closes fails first: chan-send-after-close
/// reports that one, and the second close is never reached. A send that
/// catches the error and ends the run stops it just as well.
bool sendFailsFirst(RuleContext &RC, const Event &First, const Event &Second) {
  AliasSets &A = RC.Model.aliases();
  for (const Event &S : RC.Model.events())
    if (S.isSend() && sendStopsRun(RC, S) &&
        S.Party == First.Party &&
        A.find(S.Channel) == A.find(First.Channel) &&
        mayFollowInParty(RC.Model, First, S) &&
        mayFollowInParty(RC.Model, S, Second))
      return true;
  return false;
}

/// May both closes run, the second after the first?
bool bothRun(RuleContext &RC, const Event &First, const Event &Second) {
  const ProgramModel &M = RC.Model;
  if (First.Party == Second.Party) {
    if (!mayFollowInParty(M, First, Second) || sendFailsFirst(RC, First, Second))
      return false;
    // A loop that makes a new channel each time closes each one once.
    return !channelPerIteration(RC, First, Second);
  }
  const Party &PF = M.party(First.Party), &PS = M.party(Second.Party);
  // Two methods of a class are alternatives as far as we can tell.
  if (!PF.isTask() && !PS.isTask())
    return false;
  SpawnOrder Order = orderBySpawns(RC, First, Second);
  if (Order == SpawnOrder::Exclusive)
    return false;
  return closesSecond(RC, First, Second, Order);
}

/// What a second close does, in the words of the channel's model: "throws
/// double_close_error" for chan.
std::string secondCloseDoes(RuleContext &RC, const Event &Close) {
  std::string Error = thrownErrorName(RC.Api.onClosed(Close.Site));
  return Error.empty() ? "fails" : "throws " + Error;
}

void checkDoubleClose(RuleContext &RC, std::vector<Finding> &Out) {
  AliasSets &A = RC.Model.aliases();
  std::vector<const Event *> Closes;
  for (const Event &E : RC.Model.events())
    if (E.K == Event::Kind::Close)
      Closes.push_back(&E);

  for (const Event *Second : Closes) {
    // The channel's library makes a second close do nothing (Boost.Fiber).
    const OnClosed *Again = RC.Api.onClosed(Second->Site);
    if (Again && Again->What == OnClosed::Kind::NoOp)
      continue;
    if (closeRacesWithSends(RC, *Second))
      continue;
    const Party &P = RC.Model.party(Second->Party);
    for (const Event *First : Closes) {
      if (A.find(First->Channel) != A.find(Second->Channel))
        continue;
      if (First == Second) {
        // One close, run again: by a loop around it, or by another run of
        // a task that runs many times.
        if (runsOnce(RC, *Second))
          continue;
        // Closing each element of a container in a loop closes each once;
        // the last of several runs closes (a count-down) only once.
        if (RC.Model.isElement(Second->Channel) ||
            closesLoopElement(RC, *Second) ||
            closedByLastOne(RC, *Second))
          continue;
        bool Again = mayFollowInParty(RC.Model, *First, *Second) &&
                     !channelPerIteration(RC, *First, *Second) &&
                     !sendFailsFirst(RC, *First, *Second);
        bool ManyRuns = P.isTask() && P.Many &&
                        !channelPerRun(RC, Second->Channel, P.Id);
        if (!Again && !ManyRuns)
          continue;
        std::string Name = channelName(Second->ChannelExpr, RC.Ctx);
        Finding F;
        F.Loc = Second->Site->getBeginLoc();
        F.Range = Second->Site->getSourceRange();
        F.Message = "channel '" + Name + "' may be closed more than once: " +
                    (ManyRuns ? "every run of this task closes it"
                              : "this close runs again in a loop") +
                    "; the second close " + secondCloseDoes(RC, *Second);
        noteCallPath(RC, *Second, F);
        if (ManyRuns && P.SpawnSite)
          F.Notes.push_back({P.SpawnSite->getBeginLoc(),
                             "the task is started here and runs many times",
                             true});
        Out.push_back(std::move(F));
        break;
      }
      if (runsOnce(RC, *First) && runsOnce(RC, *Second))
        continue;
      // All elements of a container are one object to the model: closes of
      // `outs[0]` and `outs[1]` (or of each loop element, twice over) may
      // well close different channels.
      if (RC.Model.isElement(First->Channel) ||
          RC.Model.isElement(Second->Channel))
        continue;
      if (!bothRun(RC, *First, *Second))
        continue;
      std::string Name = channelName(Second->ChannelExpr, RC.Ctx);
      Finding F;
      F.Loc = Second->Site->getBeginLoc();
      F.Range = Second->Site->getSourceRange();
      bool SameParty = First->Party == Second->Party;
      F.Message = "channel '" + Name + "' may already be closed here" +
                  (SameParty ? std::string("")
                             : " by " + RC.Model.describeParty(First->Party)) +
                  "; a second close " + secondCloseDoes(RC, *Second);
      noteCallPath(RC, *Second, F);
      F.Notes.push_back({First->Site->getBeginLoc(),
                         std::string(First->Deferred
                                         ? "first close, deferred to its scope exit"
                                         : "first close") +
                             " of '" + channelName(First->ChannelExpr, RC.Ctx) +
                             "'",
                         true});
      noteCallPath(RC, *First, F);
      Out.push_back(std::move(F));
      break;
    }
  }
}

RuleRegistry::Add Register("chan-double-close", checkDoubleClose);

} // namespace

} // namespace chanlint
