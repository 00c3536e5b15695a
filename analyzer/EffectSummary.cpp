#include "EffectSummary.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace chanlint {

namespace {

/// The parameter index or member an expression's object is rooted at.
struct Rooted {
  int Param = -1;
  const FieldDecl *Member = nullptr;
};

Rooted rootOf(const FunctionDecl *Owner, const Expr *E,
              const OpRecognizer &R) {
  Rooted Out;
  for (int Guard = 0; E && Guard < 16; ++Guard) {
    E = R.strip(E);
    if (const auto *U = dyn_cast<UnaryOperator>(E)) {
      E = U->getSubExpr();
      continue;
    }
    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const Expr *Base = ME->getBase()->IgnoreParenImpCasts();
      if (isa<CXXThisExpr>(Base)) {
        Out.Member = dyn_cast<FieldDecl>(ME->getMemberDecl());
        return Out;
      }
      E = Base;
      continue;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl()))
        for (unsigned I = 0; I < Owner->getNumParams(); ++I)
          if (Owner->getParamDecl(I) == P)
            Out.Param = static_cast<int>(I);
      return Out;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      // t.c(), ctx.done(): the object is what matters.
      E = MC->getImplicitObjectArgument();
      continue;
    }
    return Out;
  }
  return Out;
}

uint8_t bitsFor(OpKind K) {
  switch (K) {
  case OpKind::Send:
  case OpKind::TrySend:
    return Sends;
  case OpKind::Recv:
  case OpKind::TryRecv:
  case OpKind::RangeRecv:
    return Receives;
  case OpKind::Close:
    return Closes;
  case OpKind::TimerStop:
    return Stops;
  default:
    return 0;
  }
}

} // namespace

void EffectSummaries::apply(const FunctionDecl *Owner, const Expr *E,
                            uint8_t Bits, FunctionSummary &S) {
  if (!E || !Bits)
    return;
  Rooted R = rootOf(Owner, E, IRs.recognizer());
  if (R.Param >= 0)
    S.Params[R.Param] |= Bits;
  else if (R.Member)
    S.Members[R.Member] |= Bits;
}

void EffectSummaries::summarize(const FunctionDecl *Owner, const FunctionIR &IR,
                                FunctionSummary &S, unsigned Depth) {
  if (Depth > 8)
    return;
  const OpRecognizer &Rec = IRs.recognizer();
  auto Nested = [&](const Callable &C) {
    // Lambdas written in the owner see its parameters directly.
    if (!C.valid() || !C.Lambda)
      return;
    if (const FunctionIR *Sub = IRs.get(C.Body))
      summarize(Owner, *Sub, S, Depth + 1);
  };
  auto CallEffects = [&](const Callable &C) {
    if (!C.valid() || C.Lambda)
      return;
    const FunctionSummary &Callee = of(C.Body);
    for (unsigned I = 0; I < C.Args.size(); ++I)
      apply(Owner, C.Args[I], Callee.param(I), S);
  };
  IR.forEachOp([&](const Op &O, OpLocation) {
    apply(Owner, O.Object, bitsFor(O.Kind), S);
    switch (O.Kind) {
    case OpKind::Select:
      for (const SelectCase &C : O.Cases) {
        apply(Owner, C.Channel,
              C.K == SelectCase::Kind::Send ? Sends : Receives, S);
        Nested(C.Callback);
      }
      break;
    case OpKind::Call:
    case OpKind::OnceCall:
    case OpKind::DeferRun:
      Nested(O.Target);
      CallEffects(O.Target);
      break;
    case OpKind::Spawn:
      Nested(O.Target);
      // A handle handed to a task outlives this function.
      for (const Expr *Arg : O.Target.Args)
        apply(Owner, Arg, Escapes, S);
      CallEffects(O.Target);
      break;
    default:
      break;
    }
  });
  for (const AliasFact &F : IR.facts()) {
    bool Stored = F.Kind != AliasFact::Lhs::Var;
    if (F.Kind == AliasFact::Lhs::Var)
      if (const auto *V = dyn_cast<VarDecl>(F.Var))
        Stored = V->hasGlobalStorage();
    if (Stored)
      apply(Owner, F.Rhs, Escapes, S);
  }
  (void)Rec;
}

const FunctionSummary &EffectSummaries::of(const FunctionDecl *F) {
  if (!F)
    return Empty;
  auto It = Done.find(F);
  if (It != Done.end())
    return It->second;
  if (InProgress.lookup(F))
    return Empty; // recursion: what is known so far is nothing
  const FunctionIR *IR = IRs.get(F);
  if (!IR)
    return Empty;
  InProgress[F] = true;
  FunctionSummary S;
  S.Params.assign(F->getNumParams(), 0);
  summarize(F, *IR, S, 0);
  InProgress[F] = false;
  return Done[F] = std::move(S);
}

} // namespace chanlint
