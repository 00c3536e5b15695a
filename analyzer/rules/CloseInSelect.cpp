// chan-close-in-select: a close inside the callback of one case of a select
// that also has a send case on the same channel. The select is a sender of
// the channel; closing it from another case (the cancellation case,
// typically) leaves the send case armed: when the select runs again and is
// chosen on the send, it throws closed_channel_error. The close belongs
// after the loop around the select.
//
// A select that cannot run again after the case is left alone: it runs
// once, or what the case leaves behind makes the loop end. The rule walks
// the select's function from just after the select with what is known once
// the closing case has returned:
//   - flags its callback (or a helper it calls) sets on every path after
//     the close, or unconditionally: `running = false;`, `done = true;`,
//     `stop_.store(true)` on a std::atomic<bool>;
//   - the select's result is the closing case's index (`if (k == 1)
//     return;`, `switch (chan::select(...))`);
//   - a case that receives from ctx.done() leaves ctx.err() != none;
//   - a callback that cannot return normally after the close (it throws)
//     leaves the select by its exceptional edges only.
// Branches on what is known take only the edge it selects, until a step
// assigns it again.
#include "CloseFacts.h"
#include "RuleRegistry.h"
#include "SelectScope.h"
#include "SourceEdits.h"

#include "../engine/OrderFacts.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"

#include <set>

using namespace clang;

namespace chanlint {

namespace {

const Expr *bare(const Expr *E) {
  return E ? E->IgnoreUnlessSpelledInSource()->IgnoreParenImpCasts() : nullptr;
}

bool isStdAtomic(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && RD->isInStdNamespace() && RD->getName() == "atomic";
}

/// The variable or member a flag expression reads: `running`, `this->stop_`,
/// `stop_.load()`, or an atomic's implicit conversion to bool.
const ValueDecl *flagRead(const Expr *E) {
  E = bare(E);
  if (!E)
    return nullptr;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (M && Obj && isStdAtomic(Obj->getType()) &&
        (isa<CXXConversionDecl>(M) ||
         (M->getIdentifier() && M->getName() == "load")))
      return flagRead(Obj);
    return nullptr;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return DRE->getDecl();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

/// A write of a variable or member: the target, the expression written and
/// whether it is a plain store (`=`, a declaration's initialiser, an
/// atomic's store()) rather than a compound update.
struct Write {
  const ValueDecl *Target = nullptr;
  const Expr *Value = nullptr;
  bool Plain = false;
};

std::optional<Write> writeOf(const Stmt *S) {
  if (!S)
    return std::nullopt;
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp())
    return Write{flagRead(BO->getLHS()), BO->getRHS(),
                 BO->getOpcode() == BO_Assign};
  if (const auto *UO = dyn_cast<UnaryOperator>(S);
      UO && UO->isIncrementDecrementOp())
    return Write{flagRead(UO->getSubExpr()), nullptr, false};
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S);
      OC && OC->isAssignmentOp() && OC->getNumArgs() == 2)
    return Write{flagRead(OC->getArg(0)), OC->getArg(1),
                 OC->getOperator() == OO_Equal};
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (M && Obj && M->getIdentifier() && isStdAtomic(Obj->getType()) &&
        MC->getNumArgs() >= 1) {
      llvm::StringRef N = M->getName();
      if (N == "store" || N == "exchange")
        return Write{flagRead(Obj), MC->getArg(0), true};
      if (N.starts_with("compare_exchange") || N.starts_with("fetch_"))
        return Write{flagRead(Obj), nullptr, false};
    }
  }
  if (const auto *DS = dyn_cast<DeclStmt>(S))
    if (DS->isSingleDecl())
      if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl()))
        return Write{VD, VD->getInit(), true};
  return std::nullopt;
}

/// The value of a constant written to a flag or state variable: `false`,
/// `2`, `State::stopped`.
std::optional<int64_t> constantOf(const Expr *E, ASTContext &Ctx) {
  E = bare(E);
  Expr::EvalResult R;
  if (E && !E->isValueDependent() && E->getType()->isIntegralOrEnumerationType() &&
      E->EvaluateAsInt(R, Ctx))
    return R.Val.getInt().getExtValue();
  return std::nullopt;
}

/// What holds in the select's function once the closing case has returned.
struct AfterCase {
  /// Variables with a known value: flags, states.
  llvm::SmallVector<std::pair<const ValueDecl *, int64_t>, 4> Flags;
  const Expr *SelectCall = nullptr;  ///< the select's call expression
  const ValueDecl *Result = nullptr; ///< the local holding its result
  unsigned Case = 0;                 ///< ... which is this case's index
  const ValueDecl *Ctx = nullptr;    ///< the case received from Ctx.done()
  bool MustThrow = false;            ///< the case leaves by an exception
};

/// Bits of what is still known: a flag each, then the result, the context.
constexpr unsigned MaxFlags = 16;
constexpr unsigned ResultBit = 1u << MaxFlags;
constexpr unsigned CtxBit = 1u << (MaxFlags + 1);

class SelectWalk {
public:
  SelectWalk(const FunctionIR &IR, OpLocation Select, const AfterCase &K,
             ASTContext &Ctx)
      : IR(IR), Select(Select), K(K), Ctx(Ctx),
        G(IR.flow(K.MustThrow ? engine::ExceptionEdges::ThrowsAndCalls
                              : engine::ExceptionEdges::Throws)) {
    for (const CFGBlock *B : IR.cfg())
      BlockById[B->getBlockID()] = B;
  }

  /// True if the select may run again after the closing case.
  bool runsAgain();

private:
  bool isSelect(const engine::FlowStep &S) const {
    return S.O && S.Loc.Block == Select.Block && S.Loc.Index == Select.Index;
  }
  bool isResult(const Expr *E, unsigned Mask) const;
  std::optional<int64_t> intValue(const Expr *E, unsigned Mask) const;
  bool isCtxErr(const Expr *E) const;
  std::optional<bool> eval(const Expr *E, unsigned Mask) const;
  std::optional<int64_t> known(const Expr *E, unsigned Mask) const;
  unsigned afterStep(const engine::FlowStep &S, unsigned Mask) const;
  void leave(unsigned Block, unsigned Mask);
  void push(unsigned Block, unsigned Mask) {
    if (Block != engine::FlowEdge::Unwind && Seen.insert({Block, Mask}).second)
      Work.push_back({Block, Mask});
  }

  const FunctionIR &IR;
  OpLocation Select;
  const AfterCase &K;
  ASTContext &Ctx;
  const engine::FlowGraph &G;
  llvm::DenseMap<unsigned, const CFGBlock *> BlockById;
  std::set<std::pair<unsigned, unsigned>> Seen;
  std::vector<std::pair<unsigned, unsigned>> Work;
};

bool SelectWalk::isResult(const Expr *E, unsigned Mask) const {
  E = bare(E);
  if (!E)
    return false;
  if (E == bare(K.SelectCall))
    return true;
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  return DRE && K.Result && (Mask & ResultBit) && DRE->getDecl() == K.Result;
}

std::optional<int64_t> SelectWalk::intValue(const Expr *E, unsigned Mask) const {
  if (isResult(E, Mask))
    return K.Case;
  if (std::optional<int64_t> V = known(E, Mask))
    return V;
  Expr::EvalResult R;
  if (E && !E->isValueDependent() && E->EvaluateAsInt(R, Ctx))
    return R.Val.getInt().getExtValue();
  return std::nullopt;
}

bool SelectWalk::isCtxErr(const Expr *E) const {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(bare(E));
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  return M && M->getIdentifier() && M->getName() == "err" && K.Ctx &&
         flagRead(MC->getImplicitObjectArgument()) == K.Ctx;
}

bool isNoneError(const Expr *E) {
  const auto *DRE = dyn_cast_or_null<DeclRefExpr>(bare(E));
  const auto *EC = DRE ? dyn_cast<EnumConstantDecl>(DRE->getDecl()) : nullptr;
  const auto *Enum = EC ? dyn_cast<EnumDecl>(EC->getDeclContext()) : nullptr;
  return Enum && Enum->getName() == "ContextError" && EC->getName() == "none";
}

std::optional<bool> SelectWalk::eval(const Expr *E, unsigned Mask) const {
  E = bare(E);
  if (!E)
    return std::nullopt;
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_LNot) {
    if (std::optional<bool> V = eval(UO->getSubExpr(), Mask))
      return !*V;
    return std::nullopt;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    BinaryOperatorKind Op = BO->getOpcode();
    if (Op == BO_LAnd || Op == BO_LOr) {
      std::optional<bool> L = eval(BO->getLHS(), Mask),
                          R = eval(BO->getRHS(), Mask);
      bool Short = Op == BO_LOr; // the value that decides alone
      if ((L && *L == Short) || (R && *R == Short))
        return Short;
      if (L && R)
        return !Short;
      return std::nullopt;
    }
    if (Op == BO_EQ || Op == BO_NE) {
      const Expr *L = BO->getLHS(), *R = BO->getRHS();
      if (Mask & CtxBit)
        if ((isCtxErr(L) && isNoneError(R)) || (isCtxErr(R) && isNoneError(L)))
          return Op == BO_NE;
      if (isResult(L, Mask) || isResult(R, Mask) || known(L, Mask) ||
          known(R, Mask)) {
        std::optional<int64_t> A = intValue(L, Mask), B = intValue(R, Mask);
        if (A && B)
          return (*A == *B) == (Op == BO_EQ);
      }
      return std::nullopt;
    }
    return std::nullopt;
  }
  if (isResult(E, Mask))
    return K.Case != 0;
  if (std::optional<int64_t> V = known(E, Mask))
    return *V != 0;
  return std::nullopt;
}

std::optional<int64_t> SelectWalk::known(const Expr *E, unsigned Mask) const {
  if (const ValueDecl *D = flagRead(E))
    for (unsigned I = 0; I < K.Flags.size(); ++I)
      if ((Mask & (1u << I)) && K.Flags[I].first == D)
        return K.Flags[I].second;
  return std::nullopt;
}

/// What is still known after a step: a write forgets what it writes, except
/// the store of the select's own result.
unsigned SelectWalk::afterStep(const engine::FlowStep &S, unsigned Mask) const {
  std::optional<Write> W = writeOf(S.stmt());
  if (!W || !W->Target)
    return Mask;
  for (unsigned I = 0; I < K.Flags.size(); ++I)
    if (K.Flags[I].first == W->Target)
      Mask &= ~(1u << I);
  if (W->Target == K.Result)
    Mask = (W->Value && bare(W->Value) == bare(K.SelectCall)) ? Mask | ResultBit
                                                              : Mask & ~ResultBit;
  if (W->Target == K.Ctx)
    Mask &= ~CtxBit;
  return Mask;
}

/// Leaves a block by its normal edges, taking only the edge a known
/// condition selects.
void SelectWalk::leave(unsigned Block, unsigned Mask) {
  const CFGBlock *CB = BlockById.lookup(Block);
  const Stmt *Term = CB ? CB->getTerminatorStmt() : nullptr;
  if (const auto *Sw = dyn_cast_or_null<SwitchStmt>(Term)) {
    std::optional<int64_t> V = isResult(Sw->getCond(), Mask)
                                   ? std::optional<int64_t>(K.Case)
                                   : std::nullopt;
    bool Matched = false;
    if (V)
      for (const engine::FlowEdge &E : G.succs(Block))
        if (const CFGBlock *To = BlockById.lookup(E.To))
          if (const auto *CS = dyn_cast_or_null<CaseStmt>(To->getLabel()))
            Matched |= !CS->caseStmtIsGNURange() &&
                       intValue(CS->getLHS(), 0) == V;
    for (const engine::FlowEdge &E : G.succs(Block)) {
      const CFGBlock *To = BlockById.lookup(E.To);
      const auto *CS = To ? dyn_cast_or_null<CaseStmt>(To->getLabel()) : nullptr;
      if (V && CS && (CS->caseStmtIsGNURange() || intValue(CS->getLHS(), 0) != V))
        continue; // another case label
      if (V && Matched && !CS)
        continue; // default or past the switch, while a case matched
      push(E.To, Mask);
    }
    return;
  }
  std::optional<bool> Value =
      CB ? eval(dyn_cast_or_null<Expr>(CB->getTerminatorCondition()), Mask)
         : std::nullopt;
  for (const engine::FlowEdge &E : G.succs(Block)) {
    if (Value && E.SuccIndex != (*Value ? 0u : 1u))
      continue;
    push(E.To, Mask);
  }
}

bool SelectWalk::runsAgain() {
  // The select's step.
  std::optional<std::pair<unsigned, unsigned>> At;
  for (unsigned B = 0; B < G.numBlocks() && !At; ++B)
    for (const engine::FlowStep &S : G.steps(B))
      if (S.K != engine::FlowStep::Kind::ScopeExit && isSelect(S)) {
        At = {B, S.Index};
        break;
      }
  if (!At)
    return false;
  unsigned Full = (1u << K.Flags.size()) - 1;
  if (K.Result)
    Full |= ResultBit;
  if (K.Ctx)
    Full |= CtxBit;

  // Run a block from a step on; true if the select is reached.
  auto Run = [&](unsigned Block, unsigned From, unsigned Mask,
                 bool ThrowsOnlyAt) {
    llvm::ArrayRef<engine::FlowStep> Steps = G.steps(Block);
    std::vector<unsigned> MaskAt(Steps.size() + 1, Mask);
    for (unsigned I = From; I < Steps.size(); ++I) {
      if (!ThrowsOnlyAt && isSelect(Steps[I]) &&
          Steps[I].K != engine::FlowStep::Kind::ScopeExit)
        return true;
      MaskAt[I] = Mask;
      if (!ThrowsOnlyAt)
        Mask = afterStep(Steps[I], Mask);
    }
    MaskAt[Steps.size()] = Mask;
    for (const engine::FlowEdge &E : G.throwsFrom(Block)) {
      if (ThrowsOnlyAt ? E.AtStep != From : E.AtStep < From)
        continue;
      push(E.To, MaskAt[std::min<size_t>(E.AtStep, Steps.size())]);
    }
    if (!ThrowsOnlyAt)
      leave(Block, Mask);
    return false;
  };

  if (K.MustThrow)
    (void)Run(At->first, At->second, Full, /*ThrowsOnlyAt=*/true);
  else if (Run(At->first, At->second + 1, Full, false))
    return true;
  while (!Work.empty()) {
    auto [Block, Mask] = Work.back();
    Work.pop_back();
    if (Block == At->first) {
      // Entering the select's block again: the select runs unless a throw
      // leaves the block first, which the walk follows anyway.
      return true;
    }
    if (Run(Block, 0, Mask, false))
      return true;
  }
  return false;
}

/// A write to a variable of an outer frame, with the constant it stores.
struct FlagWrite {
  const Stmt *S = nullptr;
  const ValueDecl *Target = nullptr;
  std::optional<int64_t> Value; ///< none: not a plain store of a constant
};

/// Writes to variables of outer frames in a body (not its locals).
void collectFlagWrites(const Stmt *S, const FunctionDecl *Fn, ASTContext &Ctx,
                       std::vector<FlagWrite> &Out) {
  if (!S)
    return;
  if (isa<LambdaExpr>(S))
    return; // another body
  if (std::optional<Write> W = writeOf(S);
      W && W->Target && !isa<DeclStmt>(S) && W->Target->getDeclContext() != Fn)
    Out.push_back({S, W->Target,
                   W->Plain ? constantOf(W->Value, Ctx) : std::nullopt});
  for (const Stmt *C : S->children())
    collectFlagWrites(C, Fn, Ctx, Out);
}

/// True if the body can return normally after the op: its exit is reached
/// from the op's step by normal edges or by throws caught in the body.
bool returnsAfter(const engine::FlowGraph &G, OpLocation At) {
  std::vector<unsigned> Work;
  std::vector<bool> Seen(G.numBlocks(), false);
  for (unsigned B = 0; B < G.numBlocks(); ++B)
    for (const engine::FlowStep &St : G.steps(B))
      if (St.O && St.Loc.Block == At.Block && St.Loc.Index == At.Index &&
          St.K != engine::FlowStep::Kind::ScopeExit) {
        for (const engine::FlowEdge &E : G.succs(B))
          Work.push_back(E.To);
        for (const engine::FlowEdge &E : G.throwsFrom(B))
          if (E.AtStep > St.Index && E.To != engine::FlowEdge::Unwind)
            Work.push_back(E.To);
      }
  while (!Work.empty()) {
    unsigned B = Work.back();
    Work.pop_back();
    if (B == G.exit())
      return true;
    if (Seen[B])
      continue;
    Seen[B] = true;
    for (const engine::FlowEdge &E : G.succs(B))
      Work.push_back(E.To);
    for (const engine::FlowEdge &E : G.throwsFrom(B))
      if (E.To != engine::FlowEdge::Unwind)
        Work.push_back(E.To);
  }
  return false;
}

/// What the frames between the select and the close leave behind when they
/// return after the close: flags set after it on every path (or
/// unconditionally, at the top of a body, and never the other way in it),
/// and whether some frame cannot return normally after it.
void frameFacts(const ProgramModel &M, const Event &Close,
                const SelectCaseScope &S, ASTContext &Ctx, AfterCase &K) {
  llvm::DenseMap<const ValueDecl *, std::optional<int64_t>> Known;
  llvm::SmallVector<const ValueDecl *, 4> Order;
  OpLocation At = Close.Loc;
  for (FrameId F = Close.Frame; F != NoFrame && F != S.Frame;) {
    const Frame &Fr = M.frame(F);
    const FunctionDecl *Fn = Fr.IR->function();
    if (!returnsAfter(Fr.IR->flow(engine::ExceptionEdges::Throws), At))
      K.MustThrow = true;
    const engine::OrderFacts &O = Fr.IR->order(engine::ExceptionEdges::Throws);
    std::vector<FlagWrite> Writes;
    const Stmt *Body = Fn->getBody();
    collectFlagWrites(Body, Fn, Ctx, Writes);
    const auto *CS = dyn_cast_or_null<CompoundStmt>(Body);
    // Per target: the value this body leaves, when every write of it
    // stores that one constant and one of them comes after the op on every
    // path or unconditionally; otherwise unknown.
    llvm::DenseMap<const ValueDecl *, std::optional<int64_t>> Here;
    for (const FlagWrite &W : Writes) {
      if (Here.count(W.Target))
        continue;
      bool Same = W.Value && llvm::all_of(Writes, [&](const FlagWrite &Y) {
                    return Y.Target != W.Target || Y.Value == W.Value;
                  });
      bool Sets = Same && llvm::any_of(Writes, [&](const FlagWrite &Y) {
                    if (Y.Target != W.Target)
                      return false;
                    if (CS && llvm::is_contained(CS->body(), Y.S))
                      return true;
                    return O.onEveryPathAfter(At, [&](const engine::FlowStep &P) {
                      return P.stmt() == Y.S;
                    });
                  });
      Here[W.Target] = Sets ? W.Value : std::nullopt;
    }
    // An outer frame's writes come after the inner frame returned.
    for (const auto &[D, V] : Here) {
      if (!Known.count(D))
        Order.push_back(D);
      Known[D] = V;
    }
    At = Fr.InvokedAt;
    F = Fr.Parent;
  }
  for (const ValueDecl *D : Order)
    if (std::optional<int64_t> V = Known.lookup(D); V && K.Flags.size() < MaxFlags)
      K.Flags.push_back({D, *V});
}

/// The local that the select's result is stored in, if any.
const ValueDecl *resultVar(const Stmt *S, const Expr *SelectCall) {
  if (!S)
    return nullptr;
  if (std::optional<Write> W = writeOf(S);
      W && W->Target && W->Plain && W->Value && bare(W->Value) == bare(SelectCall))
    return W->Target;
  for (const Stmt *C : S->children())
    if (const ValueDecl *D = resultVar(C, SelectCall))
      return D;
  return nullptr;
}

/// The context whose done() the case receives from.
const ValueDecl *contextOfDone(const SelectCase &C, const ApiIndex &Api) {
  if (C.K != SelectCase::Kind::Recv)
    return nullptr;
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(bare(C.Channel));
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier() || M->getName() != "done")
    return nullptr;
  const Expr *Obj = MC->getImplicitObjectArgument();
  if (!Obj || Api.roleOf(Obj->getType().getNonReferenceType()) != TypeRole::Context)
    return nullptr;
  return flagRead(Obj);
}

/// The select's send case may be chosen after the close: the select runs
/// again (a loop that the case does not leave). A select that runs once is
/// over when the case's callback returns.
bool sendCaseMayFollow(RuleContext &RC, const Event &Close,
                       const SelectCaseScope &S) {
  const Frame &Fr = RC.Model.frame(S.Frame);
  const Op &Select = RC.Model.op(S.Frame, S.Loc);
  AfterCase K;
  K.SelectCall = dyn_cast_or_null<Expr>(Select.Site);
  K.Case = S.Case;
  K.Ctx = contextOfDone(Select.Cases[S.Case], RC.Api);
  if (K.SelectCall)
    K.Result = resultVar(Fr.IR->function()->getBody(), K.SelectCall);
  frameFacts(RC.Model, Close, S, RC.Ctx, K);
  return SelectWalk(*Fr.IR, S.Loc, K, RC.Ctx).runsAgain();
}

void checkCloseInSelect(RuleContext &RC, std::vector<Finding> &Out) {
  for (const Event &Close : RC.Model.events()) {
    if (Close.K != Event::Kind::Close)
      continue;
    std::optional<SelectCaseScope> S = selectRunning(RC.Model, Close);
    if (!S)
      continue;
    std::optional<unsigned> SendCase = sendCaseOn(RC, *S, Close.Channel);
    if (!SendCase || !sendCaseMayFollow(RC, Close, *S))
      continue;
    const Op &Select = RC.Model.op(S->Frame, S->Loc);
    std::string Name = channelName(Close.ChannelExpr, RC.Ctx);
    Finding F;
    F.Loc = Close.Site->getBeginLoc();
    F.Range = Close.Site->getSourceRange();
    F.Message = "channel '" + Name +
                "' is closed inside a case of a select that also sends on it; "
                "the send case throws closed_channel_error when it is chosen "
                "after the close";
    noteCallPath(RC, Close, F);
    F.Notes.push_back({Select.Cases[*SendCase].Site->getBeginLoc(),
                       "'" + Name + "' is sent on by this case of the same select",
                       true});
    F.Notes.push_back({Select.Site->getBeginLoc(),
                       "the select may run again after the close; leave the "
                       "loop in this case and close '" + Name + "' after it",
                       false});
    Out.push_back(std::move(F));
  }
}

RuleRegistry::Add Register("chan-close-in-select", checkCloseInSelect);

} // namespace

} // namespace chanlint
