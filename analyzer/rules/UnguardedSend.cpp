// chan-unguarded-send: a blocking send with no cancellation case, when
// another party may close the channel, when its receiver may stop
// receiving, or when a context in scope is ignored.
#include "ContextScope.h"
#include "ReceiveLoops.h"
#include "RuleContext.h"
#include "RuleRegistry.h"
#include "SourceEdits.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/FormatVariadic.h"

#include <limits>

using namespace clang;

namespace chanlint {

namespace {

constexpr uint64_t Unbounded = std::numeric_limits<uint64_t>::max();

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

  /// How many values may be sent on the channel in this root.
  uint64_t sendCount() const {
    uint64_t N = 0;
    for (const Event &E : RC.Model.events()) {
      if (!E.isSend() || !same(E))
        continue;
      const Party &P = RC.Model.party(E.Party);
      if (E.InLoop || (P.isTask() && P.Many && !channelPerRun(RC, Channel, P.Id)))
        return Unbounded;
      ++N;
    }
    return N;
  }

  /// The channel's capacity: Unbounded when it is an expression we take
  /// to be sized to the senders (`Chan<R> out(urls.size())`).
  std::optional<uint64_t> capacity() const {
    const ChannelCreation *C = RC.Model.creationOf(Channel);
    if (!C)
      return std::nullopt; // made elsewhere: unknown
    if (!C->Capacity)
      return 0;
    Expr::EvalResult R;
    if (C->Capacity->EvaluateAsInt(R, RC.Ctx))
      return R.Val.getInt().getLimitedValue();
    return Unbounded;
  }

  bool mayBlock() const {
    std::optional<uint64_t> Cap = capacity();
    if (!Cap)
      return true;
    if (*Cap == Unbounded)
      return false;
    uint64_t N = sendCount();
    return N == Unbounded || N > *Cap;
  }

  bool closedByOthers() const {
    for (const Event &E : RC.Model.events())
      if (E.K == Event::Kind::Close && E.Party != S.Party && same(E))
        return true;
    return false;
  }

  std::vector<const Event *> concurrentClosers() const {
    std::vector<const Event *> Out;
    for (const Event &E : RC.Model.events())
      if (E.K == Event::Kind::Close && E.Party != S.Party && same(E) &&
          RC.Conc.mayHappenInParallel(S, E))
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
  /// are still being sent, or none.
  Quit quittingReceiver() const {
    Quit Quitter;     // gives up on a signal the sender does not watch
    Quit LoopExit;    // a receiving loop that may stop before the end
    const Event *AnyBounded = nullptr;
    uint64_t Bounded = 0;
    bool Any = false;
    for (const Event &E : RC.Model.events()) {
      if (!E.isRecv() || E.K == Event::Kind::TryRecv || E.Party == S.Party ||
          !same(E))
        continue;
      Any = true;
      bool Drains = false;
      if (E.K == Event::Kind::RangeRecv) {
        if (rangeLoopExitsEarly(E.Site)) {
          if (!LoopExit)
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
        else if (!Quitter)
          Quitter = Quit{&E, Exit == E.Site ? nullptr : Exit};
      } else if (E.InLoop) {
        const Stmt *Exit = E.K == Event::Kind::Recv && !E.InSelect
                               ? recvLoopEarlyExit(E.Site, RC.Ctx)
                               : nullptr;
        if (!Exit)
          Drains = true;
        else if (!LoopExit)
          LoopExit = Quit{&E, Exit};
      } else {
        // One receive (none at all when a default case may win).
        Bounded += E.SelectHasDefault ? 0 : 1;
        AnyBounded = AnyBounded ? AnyBounded : &E;
      }
      if (Drains)
        return Quit{}; // someone keeps receiving until the channel closes
    }
    if (!Any || Quitter)
      return Quitter;
    std::optional<uint64_t> Cap = capacity();
    uint64_t Room = Cap ? *Cap : 0;
    if (Room == Unbounded)
      return Quit{};
    uint64_t N = sendCount();
    // A loop that leaves early has taken at least one value first.
    if (LoopExit)
      return N == Unbounded || N > Room + 1 ? LoopExit : Quit{};
    if (N == Unbounded || N > Bounded + Room)
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

/// Gives an unbuffered channel room for every lone sender.
std::optional<FixItHint> capacityFix(RuleContext &RC, const Event &S) {
  const Party &P = RC.Model.party(S.Party);
  if (!P.isTask() || S.InLoop || S.InSelect)
    return std::nullopt;
  AliasSets &A = RC.Model.aliases();
  unsigned Own = 0;
  for (const Event &E : RC.Model.events())
    if (E.Party == S.Party && E.isSend() && A.find(E.Channel) == A.find(S.Channel))
      ++Own;
  if (Own != 1)
    return std::nullopt;
  const ChannelCreation *C = RC.Model.creationOf(S.Channel);
  if (!C || C->Capacity || inMacro(C->Site, RC.Ctx))
    return std::nullopt;
  std::string Count = "1";
  if (P.Many) {
    const Stmt *Loop = enclosingLoop(P.SpawnSite, RC.Ctx);
    Count = Loop ? loopCount(RC, Loop, C->Site->getBeginLoc()) : "";
    if (Count.empty())
      return std::nullopt;
  }
  if (const auto *Call = dyn_cast<CallExpr>(C->Site))
    return FixItHint::CreateInsertion(Call->getRParenLoc(), Count);
  const auto *CE = dyn_cast<CXXConstructExpr>(C->Site);
  if (!CE)
    return std::nullopt;
  SourceRange Parens = CE->getParenOrBraceRange();
  if (Parens.isValid())
    return FixItHint::CreateInsertion(Parens.getEnd(), Count);
  // `chan::Chan<T> ch;`: add the capacity after the name.
  for (const DynTypedNode &N : RC.Ctx.getParents(*CE))
    if (const auto *V = N.get<VarDecl>())
      return FixItHint::CreateInsertion(
          Lexer::getLocForEndOfToken(V->getLocation(), 0,
                                     RC.Ctx.getSourceManager(),
                                     RC.Ctx.getLangOpts()),
          "(" + Count + ")");
  return std::nullopt;
}

} // namespace

namespace {

void checkUnguardedSend(RuleContext &RC, std::vector<Finding> &Out) {
  const bool WarnWhenContextIgnored =
      RC.Opts.flag(checkNamed("chan-unguarded-send"), "WarnWhenContextIgnored");
  for (const Event &S : RC.Model.events()) {
    if (S.K != Event::Kind::Send || S.Guarded)
      continue;
    SendFacts Facts(RC, S);
    std::string Name = channelName(S.ChannelExpr, RC.Ctx);
    Finding F;
    F.Loc = S.Site->getBeginLoc();
    F.Range = S.Site->getSourceRange();

    std::optional<ScopedContext> Ctx = contextInScope(S.Site, RC.Ctx, RC.Api);
    bool Blocks = Facts.mayBlock();
    std::vector<const Event *> Closers;
    if (!S.CatchesClose)
      Closers = Facts.concurrentClosers();
    // A sender that catches the close is woken by it: when some other party
    // closes the channel, the sender does not wait forever.
    Quit Quitter = Blocks && !(S.CatchesClose && Facts.closedByOthers())
                       ? Facts.quittingReceiver()
                       : Quit{};
    if (!Closers.empty()) {
      F.Message = llvm::formatv("send on '{0}' is not guarded and may throw "
                                "closed_channel_error: another party may "
                                "close '{0}' concurrently",
                                Name)
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
      auto Fix = Ctx ? selectFix(RC, S, *Ctx) : capacityFix(RC, S);
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
          {S.Site->getBeginLoc(),
           "guard the send with a select on a cancellation signal, or give "
           "'" + Name + "' room for every value",
           false});
    Out.push_back(std::move(F));
  }
}

RuleRegistry::Add Register("chan-unguarded-send", checkUnguardedSend);

} // namespace

} // namespace chanlint
