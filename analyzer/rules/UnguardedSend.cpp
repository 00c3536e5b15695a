// chan-unguarded-send: a blocking send with no cancellation case, when
// another party may close the channel, when its receiver may stop
// receiving, or when a context in scope is ignored. An interrupt of the
// sending thread (Boost.Thread) is a cancellation case of its waits.
#include "CloseFacts.h"
#include "ClosedSend.h"
#include "ContextScope.h"
#include "Interruption.h"
#include "LastOneCloses.h"
#include "ReceiveLoops.h"
#include "RuleContext.h"
#include "RuleRegistry.h"
#include "SendRoom.h"
#include "SourceEdits.h"

#include "../ParentIndex.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/FormatVariadic.h"

using namespace clang;

namespace chanlint {

namespace {

/// Where a receiver may stop receiving: the receive, and for a loop that
/// leaves early, the statement that leaves it.
struct Quit {
  const Event *Recv = nullptr;
  const Stmt *Exit = nullptr;
  explicit operator bool() const { return Recv != nullptr; }
};

class SendFacts {
public:
  SendFacts(RuleContext &RC, const Event &S) : RC(RC), S(S), A(RC.Model.aliases()) {
    Channel = A.find(S.Channel);
  }

  bool same(const Event &E) const { return A.find(E.Channel) == Channel; }
  ObjectId channel() const { return Channel; }

  bool closedByOthers() const {
    for (const Event &E : RC.Model.events())
      if (E.K == Event::Kind::Close && E.Party != S.Party && same(E))
        return true;
    return false;
  }

  /// Closes by other parties that may run while the send is pending; a
  /// last-one close that counts this send comes after it.
  std::vector<const Event *> concurrentClosers() const {
    std::vector<const Event *> Out;
    for (const Event &E : RC.Model.events())
      if (E.K == Event::Kind::Close && E.Party != S.Party && same(E) &&
          RC.Conc.mayHappenInParallel(S, E) && !countedBeforeLastClose(RC, E, S))
        Out.push_back(&E);
    return Out;
  }

  /// True if the sending party receives from the channel anywhere (so it
  /// sees the signal the receiver quits on).
  bool senderWatches(ObjectId Signal) const {
    for (const Event &E : RC.Model.events())
      if (E.Party == S.Party && E.isRecv() && A.find(E.Channel) == A.find(Signal))
        return true;
    return false;
  }

  /// A receive after which the receiver may stop receiving while values
  /// are still being sent, or none. The parties in Closing stop with a
  /// close that chan-receiver-close reports: their stopping is that
  /// finding's, so here they only drain or take values.
  Quit quittingReceiver(llvm::ArrayRef<PartyId> Closing) const {
    Quit Quitter;     // gives up on a signal the sender does not watch
    Quit LoopExit;    // a receiving loop that may stop before the end
    const Event *AnyBounded = nullptr;
    uint64_t Bounded = 0;
    bool Any = false;
    for (const Event &E : RC.Model.events()) {
      if (!E.isRecv() || E.K == Event::Kind::TryRecv || E.Party == S.Party ||
          !same(E))
        continue;
      bool Owned = llvm::is_contained(Closing, E.Party);
      Any |= !Owned;
      bool Drains = false;
      if (E.K == Event::Kind::RangeRecv) {
        if (rangeLoopExitsEarly(E.Site)) {
          if (Owned)
            ++Bounded; // it took a value before it stopped
          else if (!LoopExit)
            LoopExit = Quit{&E, nullptr};
        } else {
          Drains = true;
        }
      } else if (!E.Signals.empty()) {
        // Gives up on a signal: a problem unless the sender sees it too.
        bool Watched = false;
        for (ObjectId Sig : E.Signals)
          Watched |= senderWatches(Sig);
        const Stmt *Exit = Watched ? nullptr : selectSignalExit(E.Site, RC.Ctx);
        if (!Exit)
          Drains = true;
        else if (!Quitter && !Owned)
          Quitter = Quit{&E, Exit == E.Site ? nullptr : Exit};
      } else if (E.InLoop) {
        const Stmt *Exit = E.K == Event::Kind::Recv && !E.InSelect
                               ? recvLoopEarlyExit(RC.Api, E.Site, RC.Ctx)
                               : nullptr;
        if (!Exit)
          Drains = true;
        else if (Owned)
          ++Bounded;
        else if (!LoopExit)
          LoopExit = Quit{&E, Exit};
      } else {
        // One receive (none at all when a default case may win).
        Bounded += E.SelectHasDefault ? 0 : 1;
        if (!Owned && !AnyBounded)
          AnyBounded = &E;
      }
      if (Drains)
        return Quit{}; // someone keeps receiving until the channel closes
    }
    if (!Any || Quitter)
      return Quitter;
    std::optional<uint64_t> Cap = channelCapacity(RC, S.Channel);
    uint64_t Room = Cap ? *Cap : 0;
    if (Room == ManyValues)
      return Quit{};
    // The values sent up to this send: the earlier ones are taken or
    // buffered first.
    uint64_t N = sendsUpTo(RC, S);
    // A loop that leaves early has taken at least one value first.
    if (LoopExit)
      return N == ManyValues || N > Bounded + Room + 1 ? LoopExit : Quit{};
    if (N == ManyValues || N > Bounded + Room)
      return Quit{AnyBounded, nullptr};
    return Quit{};
  }

private:
  RuleContext &RC;
  const Event &S;
  AliasSets &A;
  ObjectId Channel;
};

/// `if (chan::select(chan::send_case(ch, v), chan::recv_case(ctx.done())) == 1) return;`
std::optional<FixItHint> selectFix(RuleContext &RC, const Event &S,
                                   const ScopedContext &Ctx) {
  if (S.InSelect)
    return std::nullopt;
  const Stmt *Full = enclosingStatement(S.Site, RC.Ctx);
  const auto *FullExpr = dyn_cast_or_null<Expr>(Full);
  if (!FullExpr || FullExpr->IgnoreImplicit()->IgnoreParens() != S.Site)
    return std::nullopt;
  const FunctionDecl *Fn = RC.Model.frame(S.Frame).IR->function();
  if (!Fn->getReturnType()->isVoidType())
    return std::nullopt;
  const Op &O = RC.Model.op(S.Frame, S.Loc);
  std::string Channel = sourceText(O.Object, RC.Ctx);
  std::string Value = sourceText(O.Value, RC.Ctx);
  if (Channel.empty() || Value.empty())
    return std::nullopt;
  std::string Text = "if (chan::select(chan::send_case(" + Channel + ", " +
                     Value + "), chan::recv_case(" + Ctx.Spelling +
                     ".done())) == 1) return";
  return replaceStatement(Full, Text, RC.Ctx);
}

/// How many tasks a loop starts, spelled so that it is valid where the
/// channel is made: `urls.size()` for a range-for, `n` for `i < n`.
std::string loopCount(RuleContext &RC, const Stmt *Loop, SourceLocation Before) {
  const SourceManager &SM = RC.Ctx.getSourceManager();
  auto DeclaredBefore = [&](const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && SM.isBeforeInTranslationUnit(DRE->getDecl()->getLocation(),
                                               Before);
  };
  if (const auto *FR = dyn_cast<CXXForRangeStmt>(Loop)) {
    const Expr *Range = FR->getRangeInit();
    if (Range && DeclaredBefore(Range))
      return sourceText(Range->IgnoreParenImpCasts(), RC.Ctx) + ".size()";
    return "";
  }
  if (const auto *F = dyn_cast<ForStmt>(Loop)) {
    const auto *Cond = dyn_cast_or_null<BinaryOperator>(F->getCond());
    if (!Cond || Cond->getOpcode() != BO_LT)
      return "";
    const Expr *Bound = Cond->getRHS()->IgnoreParenImpCasts();
    if (Bound->isIntegerConstantExpr(RC.Ctx))
      return ""; // a constant count would still be checked as "many"
    if (DeclaredBefore(Bound))
      return sourceText(Bound, RC.Ctx);
  }
  return "";
}

/// How many values the tasks sending on S's channel send, when each of
/// them sends once per run (Go's "a buffer sized to the senders"): the sum
/// of their runs when it is a constant, the count of the loop that starts
/// the only sending task spelled where the channel is made, else "".
std::string loneSenderCount(RuleContext &RC, const Event &S,
                            const ChannelCreation &C) {
  AliasSets &A = RC.Model.aliases();
  ObjectId Channel = A.find(S.Channel);
  llvm::SmallVector<PartyId, 4> Senders;
  for (const Event &E : RC.Model.events()) {
    if (!E.isSend() || A.find(E.Channel) != Channel)
      continue;
    if (!RC.Model.party(E.Party).isTask() || E.InLoop || E.InSelect ||
        llvm::is_contained(Senders, E.Party))
      return ""; // not a lone send per task
    Senders.push_back(E.Party);
  }
  uint64_t Total = 0;
  for (PartyId P : Senders) {
    uint64_t Runs = partyRuns(RC, P, Channel);
    if (Runs == ManyValues) {
      const Party &Task = RC.Model.party(P);
      if (Senders.size() != 1 || Task.SpawnFrame != C.Frame)
        return "";
      const Stmt *Loop = enclosingLoop(Task.SpawnSite, RC.Ctx);
      return Loop ? loopCount(RC, Loop, C.Site->getBeginLoc()) : "";
    }
    Total += Runs;
  }
  return Total ? std::to_string(Total) : "";
}

/// Gives a fresh unbuffered channel room for every lone sender, when its
/// type takes a capacity (Boost.Fiber's unbuffered_channel does not).
std::optional<FixItHint> capacityFix(RuleContext &RC, const Event &S) {
  const ChannelCreation *C = RC.Model.creationOf(S.Channel);
  if (!C || C->Capacity || inMacro(C->Site, RC.Ctx))
    return std::nullopt;
  const ChannelTypeModel *Type = RC.Api.channelModel(C->Site->getType());
  if (!Type || !Type->CapacityArg)
    return std::nullopt;
  std::string Count = loneSenderCount(RC, S, *C);
  if (Count.empty())
    return std::nullopt;
  if (const auto *Call = dyn_cast<CallExpr>(C->Site))
    return FixItHint::CreateInsertion(Call->getRParenLoc(), Count);
  const auto *CE = dyn_cast<CXXConstructExpr>(C->Site);
  if (!CE)
    return std::nullopt;
  SourceRange Parens = CE->getParenOrBraceRange();
  if (Parens.isValid())
    return FixItHint::CreateInsertion(Parens.getEnd(), Count);
  // `chan::Chan<T> ch;`: add the capacity after the name.
  for (const DynTypedNode &N : parentsOf(RC.Ctx, *CE))
    if (const auto *V = N.get<VarDecl>())
      return FixItHint::CreateInsertion(
          Lexer::getLocForEndOfToken(V->getLocation(), 0,
                                     RC.Ctx.getSourceManager(),
                                     RC.Ctx.getLangOpts()),
          "(" + Count + ")");
  return std::nullopt;
}

/// What to do about a send that may fail or wait forever (Forever: it
/// waits). A library whose close releases a waiting send with a status has
/// no select: its receiver closes the channel when it stops; one whose
/// waits an interrupt ends (Boost.Thread) lets the owner interrupt the
/// sending thread.
std::string advice(RuleContext &RC, const Event &S, const std::string &Name,
                   bool Forever) {
  ClosedSend OnClose = closedSend(RC, S);
  if (OnClose.What == ClosedSend::Outcome::Status)
    return "close '" + Name + "' where its receiver stops receiving: a waiting send then returns '" +
           OnClose.Model->Value + "'";
  if (Forever && RC.Model.party(S.Party).isTask() && RC.Api.isInterruptionPoint(S.Site))
    return "interrupt the sending thread where its receiver stops receiving, or give '" +
           Name + "' room for every value";
  return "guard the send with a select on a cancellation signal, or give '" +
         Name + "' room for every value";
}

} // namespace

namespace {

void checkUnguardedSend(RuleContext &RC, std::vector<Finding> &Out) {
  const bool WarnWhenContextIgnored =
      RC.Opts.flag(checkNamed("chan-unguarded-send"), "WarnWhenContextIgnored");
  llvm::DenseSet<ObjectId> SizedChannels;
  for (const Event &S : RC.Model.events()) {
    if (S.K != Event::Kind::Send || S.Guarded)
      continue;
    SendFacts Facts(RC, S);
    std::string Name = channelName(S.ChannelExpr, RC.Ctx);
    Finding F;
    F.Loc = S.Site->getBeginLoc();
    F.Range = S.Site->getSourceRange();

    std::optional<ScopedContext> Ctx = contextInScope(S.Site, RC.Ctx, RC.Api);
    // A wait that its thread's owner interrupts ends (Boost.Thread's
    // interrupt()), as a chan send in a select on ctx.done() does. A close
    // still makes the send throw: that reason stays.
    bool Blocks = !cannotBlock(RC, S) && !interruptEndsWait(RC, S.Party, S.Site);
    // A close by a party that does not send is chan-receiver-close's: the
    // close is the bug, this send one of its notes. That party's stopping
    // to receive is the same decision, so neither is a reason here.
    // A concurrent close is a reason only where it makes the send fail
    // (throw, hang) and the sender is not ready for it: a "closed" status
    // the send returns is the library's way to tell, and an ignored one in
    // a loop is chan-ignored-send-status's.
    ClosedSend OnClose = closedSend(RC, S);
    bool FailsOnClose = OnClose.What == ClosedSend::Outcome::Throws ||
                        OnClose.What == ClosedSend::Outcome::Hangs;
    std::vector<const Event *> Closers;
    llvm::SmallVector<PartyId, 2> ClosingReceivers;
    if (!expectsClose(RC, S))
      for (const Event *C : Facts.concurrentClosers()) {
        if (receiverCloseOwns(RC, *C, S))
          ClosingReceivers.push_back(C->Party);
        else if (FailsOnClose)
          Closers.push_back(C);
      }
    // A sender that a close releases (a status, a caught throw) does not
    // wait forever when some other party closes the channel.
    Quit Quitter = Blocks && !(releasedByClose(RC, S) && Facts.closedByOthers())
                       ? Facts.quittingReceiver(ClosingReceivers)
                       : Quit{};
    if (!Closers.empty()) {
      F.Message = llvm::formatv("send on '{0}' is not guarded and may {1}: "
                                "another party may close '{0}' concurrently",
                                Name, closedSendVerb(OnClose))
                      .str();
      for (const Event *C : Closers)
        F.Notes.push_back({C->Site->getBeginLoc(),
                           "'" + Name + "' may be closed here by " +
                               RC.Model.describeParty(C->Party),
                           true});
      if (Ctx)
        if (auto Fix = selectFix(RC, S, *Ctx))
          F.Fixes.push_back(*Fix);
    } else if (Quitter) {
      F.Message = "send on '" + Name +
                  "' may block forever: its receiver may stop receiving";
      const Stmt *Stop = Quitter.Exit ? Quitter.Exit : Quitter.Recv->Site;
      F.Notes.push_back({Stop->getBeginLoc(),
                         "the receiver may stop receiving '" + Name + "' " +
                             (Quitter.Exit ? "here, before every value is taken"
                                           : "after this"),
                         true});
      std::optional<FixItHint> Fix;
      if (Ctx)
        Fix = selectFix(RC, S, *Ctx);
      // One capacity edit per channel, however many of its sends are found.
      else if (!SizedChannels.contains(Facts.channel()))
        if ((Fix = capacityFix(RC, S)))
          SizedChannels.insert(Facts.channel());
      if (Fix)
        F.Fixes.push_back(*Fix);
    } else if (Blocks && Ctx && WarnWhenContextIgnored) {
      F.Message = "send on '" + Name +
                  "' may block forever: the context '" + Ctx->Spelling +
                  "' is not watched";
      F.Notes.push_back({Ctx->Decl->getLocation(),
                         "'" + Ctx->Spelling + "' is declared here", false});
      if (auto Fix = selectFix(RC, S, *Ctx))
        F.Fixes.push_back(*Fix);
    } else {
      continue;
    }

    if (F.Fixes.empty())
      F.Notes.push_back(
          {S.Site->getBeginLoc(), advice(RC, S, Name, /*Forever=*/Closers.empty()), false});
    Out.push_back(std::move(F));
  }
}

RuleRegistry::Add Register("chan-unguarded-send", checkUnguardedSend);

} // namespace

} // namespace chanlint
