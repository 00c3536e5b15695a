#include "CloseFacts.h"

#include "ClosedSend.h"
#include "LastOneCloses.h"
#include "SourceEdits.h"

#include "../AncestorWalk.h"
#include "../ParentIndex.h"
#include "../StatementWrites.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"

using namespace clang;

namespace chanlint {

bool partySends(const ProgramModel &M, PartyId P, ObjectId Channel,
                AliasSets &A) {
  ObjectId C = A.find(Channel);
  for (const Event &E : M.events())
    if (E.Party == P && E.isSend() && A.find(E.Channel) == C)
      return true;
  return false;
}

namespace {

/// True if S, another party's send on the closed channel, may run while
/// the close does and does not expect it (a caught throw, a tested status).
/// A send that a last-one count-down counts comes before the close.
bool racesWithClose(RuleContext &RC, const Event &Close, const Event &S) {
  AliasSets &A = RC.Model.aliases();
  return S.isSend() && S.Party != Close.Party &&
         A.find(S.Channel) == A.find(Close.Channel) &&
         RC.Conc.mayHappenInParallel(Close, S) && !expectsClose(RC, S) &&
         !countedBeforeLastClose(RC, Close, S);
}

} // namespace

std::vector<const Event *> concurrentSenders(RuleContext &RC,
                                             const Event &Close) {
  std::vector<const Event *> Senders;
  for (const Event &S : RC.Model.events())
    if (racesWithClose(RC, Close, S))
      Senders.push_back(&S);
  return Senders;
}

bool receiverCloseOwns(RuleContext &RC, const Event &Close, const Event &Send) {
  return Close.K == Event::Kind::Close && racesWithClose(RC, Close, Send) &&
         !partySends(RC.Model, Close.Party, Close.Channel, RC.Model.aliases());
}

bool closeRacesWithSends(RuleContext &RC, const Event &Close) {
  if (!concurrentSenders(RC, Close).empty())
    return true;
  const Party &P = RC.Model.party(Close.Party);
  return P.isTask() && P.Many &&
         partySends(RC.Model, Close.Party, Close.Channel, RC.Model.aliases()) &&
         !channelPerRun(RC, Close.Channel, P.Id) &&
         !closedByLastOne(RC, Close);
}

namespace {

/// True if a condition claims its flag atomically: one of the atomic's
/// methods that write and return the old value (exchange,
/// compare_exchange, test_and_set), so that one caller wins.
bool claimsAtomically(const ApiIndex &Api, const Stmt *S) {
  if (!S)
    return false;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S); MC && Api.atomicCallOf(MC).Claims)
    return true;
  return llvm::any_of(S->children(),
                      [&](const Stmt *C) { return claimsAtomically(Api, C); });
}

} // namespace

bool closeGuardedByFlag(RuleContext &RC, const Stmt *CloseSite) {
  return walkUpInFunction(CloseSite, RC.Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    const auto *If = P.get<IfStmt>();
    if (!If || Child != If->getThen())
      return false;
    llvm::DenseSet<const ValueDecl *> Named;
    namedVariables(If->getCond(), Named);
    return claimsAtomically(RC.Api, If->getCond()) ||
           storesToOneOf(RC.Api, If->getThen(), Named);
  });
}

bool channelPerIteration(RuleContext &RC, const Event &A, const Event &B) {
  const ChannelCreation *C = RC.Model.creationOf(A.Channel);
  if (!C || !C->Site)
    return false;
  const Stmt *Loop = enclosingLoop(C->Site, RC.Ctx);
  if (!Loop)
    return false;
  const SourceManager &SM = RC.Ctx.getSourceManager();
  SourceRange LR = Loop->getSourceRange();
  auto Inside = [&](const Stmt *S) {
    SourceLocation L = SM.getExpansionLoc(S->getBeginLoc());
    return !SM.isBeforeInTranslationUnit(L, SM.getExpansionLoc(LR.getBegin())) &&
           !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(LR.getEnd()), L);
  };
  return A.Site && B.Site && Inside(A.Site) && Inside(B.Site);
}

bool channelPerRun(RuleContext &RC, ObjectId Channel, PartyId Task) {
  ProgramModel &M = RC.Model;
  if (M.ownedBy(Channel, Task) || M.isElement(Channel))
    return true;
  const ChannelCreation *C = M.creationOf(Channel);
  const Party &P = M.party(Task);
  if (!C || !P.isTask() || !P.SpawnSite || C->Frame != P.SpawnFrame)
    return false;
  // Made in the body of the loop that starts the task: a new one per run.
  const Stmt *Loop = enclosingLoop(C->Site, RC.Ctx);
  if (!Loop)
    return false;
  const Stmt *Body = nullptr;
  if (const auto *F = dyn_cast<ForStmt>(Loop))
    Body = F->getBody();
  else if (const auto *W = dyn_cast<WhileStmt>(Loop))
    Body = W->getBody();
  else if (const auto *D = dyn_cast<DoStmt>(Loop))
    Body = D->getBody();
  else if (const auto *R = dyn_cast<CXXForRangeStmt>(Loop))
    Body = R->getBody();
  if (!Body)
    return false;
  SourceRange BR = Body->getSourceRange();
  const SourceManager &SM = RC.Ctx.getSourceManager();
  SourceLocation CL = SM.getExpansionLoc(C->Site->getBeginLoc());
  SourceLocation SL = SM.getExpansionLoc(P.SpawnSite->getBeginLoc());
  auto Inside = [&](SourceLocation L) {
    return !SM.isBeforeInTranslationUnit(L, SM.getExpansionLoc(BR.getBegin())) &&
           !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(BR.getEnd()), L);
  };
  return Inside(CL) && Inside(SL);
}

namespace {

const DeclStmt *declStmtOf(const VarDecl *V, ASTContext &Ctx) {
  for (const DynTypedNode &P : parentsOf(Ctx, *V))
    if (const auto *DS = P.get<DeclStmt>())
      return DS;
  return nullptr;
}

} // namespace

std::optional<FixItHint> removeCloseFix(RuleContext &RC, const Event &Close) {
  const ProgramModel &M = RC.Model;
  const Frame &Fr = M.frame(Close.Frame);
  const Party &P = M.party(Close.Party);
  const Stmt *Full = enclosingStatement(Close.Site, RC.Ctx);
  const auto *FullExpr = dyn_cast_or_null<Expr>(Full);
  if (!FullExpr || FullExpr->IgnoreImplicit()->IgnoreParens() != Close.Site)
    return std::nullopt;
  if (Close.Frame == P.Top)
    return removeStatement(Full, RC.Ctx);
  if (!(Fr.Deferred || Fr.ViaOnce) || Fr.Parent != P.Top)
    return std::nullopt;
  const auto *Body = dyn_cast_or_null<CompoundStmt>(Fr.IR->function()->getBody());
  if (!Body || Body->size() != 1)
    return removeStatement(Full, RC.Ctx);
  // The callable does nothing but close: remove the Defer or the call.
  const Op &Invoker = M.op(Fr.Parent, Fr.InvokedAt);
  if (Invoker.Kind == OpKind::DeferRun && Invoker.ScopeVar)
    return removeStatement(declStmtOf(Invoker.ScopeVar, RC.Ctx), RC.Ctx);
  if (Invoker.Kind == OpKind::OnceCall)
    return removeStatement(enclosingStatement(Invoker.Site, RC.Ctx), RC.Ctx);
  return std::nullopt;
}

namespace {

/// How a note names what a call runs: the function, or for a lambda the
/// variable it is called through (`stop()`), else "the lambda".
std::string calleeName(const Op &Invoker, const FunctionDecl *Fn) {
  const auto *Method = dyn_cast<CXXMethodDecl>(Fn);
  if (!Method || !Method->getParent()->isLambda())
    return "'" + Fn->getNameAsString() + "'";
  if (const auto *OC = dyn_cast_or_null<CXXOperatorCallExpr>(Invoker.Site))
    if (const auto *Ref = dyn_cast<DeclRefExpr>(OC->getArg(0)->IgnoreParenImpCasts()))
      return "'" + Ref->getDecl()->getNameAsString() + "'";
  return "the lambda";
}

} // namespace

void noteCallPath(RuleContext &RC, const Event &E, Finding &F) {
  // From the frame of the event up to the party's own body: each call that
  // led there, outermost last.
  const ProgramModel &M = RC.Model;
  for (FrameId Fr = E.Frame; Fr != NoFrame;) {
    const Frame &Cur = M.frame(Fr);
    if (Cur.Parent == NoFrame)
      break;
    const Op &Invoker = M.op(Cur.Parent, Cur.InvokedAt);
    if (Invoker.Kind == OpKind::Call && Invoker.Site)
      F.Notes.push_back({Invoker.Site->getBeginLoc(),
                         calleeName(Invoker, Cur.IR->function()) +
                             " is called here",
                         true});
    Fr = Cur.Parent;
  }
}

void noteSenders(RuleContext &RC, const std::vector<const Event *> &Senders,
                 const std::string &Channel, Finding &F) {
  llvm::DenseSet<PartyId> Seen;
  for (const Event *S : Senders) {
    if (!Seen.insert(S->Party).second)
      continue;
    if (Seen.size() > 3)
      break;
    const Party &P = RC.Model.party(S->Party);
    (void)Channel;
    F.Notes.push_back({S->Site->getBeginLoc(),
                       "'" + channelName(S->ChannelExpr, RC.Ctx) +
                           "' is sent on here by " +
                           RC.Model.describeParty(S->Party),
                       true});
    if (P.isTask() && P.SpawnSite)
      F.Notes.push_back({P.SpawnSite->getBeginLoc(),
                         std::string(P.Many ? "the senders are" : "the sender is") +
                             " started here",
                         false});
  }
}

} // namespace chanlint
