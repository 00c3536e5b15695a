#include "EffectSummary.h"

#include "engine/HandleAliases.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

#include <algorithm>
#include <optional>

using namespace clang;

namespace chanlint {

namespace {

/// The parameter index or member an expression's object is rooted at, or
/// the local variable it names (which may hold a parameter's object).
struct Rooted {
  int Param = -1;
  const FieldDecl *Member = nullptr;
  const VarDecl *Local = nullptr;
};

int paramIndex(const FunctionDecl *Owner, const ValueDecl *D) {
  for (unsigned I = 0; I < Owner->getNumParams(); ++I)
    if (Owner->getParamDecl(I) == D)
      return static_cast<int>(I);
  return -1;
}

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
      const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
      // An init capture `[d = c]` holds what its initialiser named.
      if (V && V->isInitCapture() && V->getInit()) {
        E = V->getInit();
        continue;
      }
      if (isa_and_nonnull<ParmVarDecl>(V))
        Out.Param = paramIndex(Owner, V);
      else if (V && V->hasLocalStorage())
        Out.Local = V;
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

class EffectSummaries::LazyAliases {
public:
  LazyAliases(const FunctionIR &IR, const ApiIndex &Api) : IR(IR), Api(Api) {}
  const engine::HandleAliases &get() {
    if (!Aliases)
      Aliases.emplace(IR, [this](QualType T) { return Api.isTracked(T); });
    return *Aliases;
  }

private:
  const FunctionIR &IR;
  const ApiIndex &Api;
  std::optional<engine::HandleAliases> Aliases;
};

void EffectSummaries::apply(const FunctionDecl *Owner, const Expr *E,
                            uint8_t Bits, FunctionSummary &S,
                            const LocalHandles *Locals) {
  if (!E || !Bits)
    return;
  Rooted R = rootOf(Owner, E, IRs.recognizer());
  if (R.Param >= 0) {
    S.Params[R.Param] |= Bits;
  } else if (R.Member) {
    S.Members[R.Member] |= Bits;
  } else if (R.Local && Locals) {
    // A local that holds a parameter's object here acts on the parameter
    // (`chan::Ticker u = t; u.stop();`): the engine says what it holds.
    for (const ValueDecl *O : Locals->first->get().objectsOf(Locals->second, R.Local))
      if (int I = paramIndex(Owner, O); I >= 0)
        S.Params[I] |= Bits;
  }
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
  LazyAliases Aliases(IR, Rec.api());
  auto CallEffects = [&](const Callable &C, OpLocation L) {
    if (!C.valid() || C.Lambda)
      return;
    const FunctionSummary &Callee = of(C.Body);
    LocalHandles Locals{&Aliases, L};
    for (unsigned I = 0; I < C.Args.size(); ++I)
      apply(Owner, C.Args[I], Callee.param(I), S, &Locals);
  };
  IR.forEachOp([&](const Op &O, OpLocation L) {
    if (uint8_t Bits = bitsFor(O.Kind)) {
      LocalHandles Locals{&Aliases, L};
      apply(Owner, O.Object, Bits, S, &Locals);
    }
    switch (O.Kind) {
    case OpKind::Select:
      for (const SelectCase &C : O.Cases) {
        LocalHandles Locals{&Aliases, L};
        apply(Owner, C.Channel,
              C.K == SelectCase::Kind::Send ? Sends : Receives, S, &Locals);
        Nested(C.Callback);
      }
      break;
    case OpKind::Call:
    case OpKind::OnceCall:
    case OpKind::DeferRun:
      Nested(O.Target);
      CallEffects(O.Target, L);
      break;
    case OpKind::Spawn:
      Nested(O.Target);
      for (const StoredCallable &T : O.StoredTargets)
        Nested(T.Target);
      // A handle handed to a task outlives this function.
      for (const Expr *Arg : O.Target.Args)
        apply(Owner, Arg, Escapes, S);
      CallEffects(O.Target, L);
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
}

const FunctionSummary &EffectSummaries::of(const FunctionDecl *F) {
  if (!F)
    return Empty;
  // The parameters that matter are the definition's.
  if (const FunctionDecl *Def = IRs.recognizer().definitionOf(F))
    F = Def;
  if (auto It = Done.find(F); It != Done.end())
    return It->second;
  // No channel op, fact or spawn in it or its callees: no effect.
  if (!IRs.touch().touches(F))
    return Empty;
  if (auto It = Active.find(F); It != Active.end()) {
    // Recursion: what is known so far; whoever uses it is provisional too.
    Lowest = std::min(Lowest, It->second);
    return Provisional[F];
  }
  const FunctionIR *IR = IRs.get(F);
  if (!IR)
    return Empty;
  unsigned Depth = Active.size();
  Active[F] = Depth;
  unsigned Outer = Lowest;
  FunctionSummary S;
  // A function whose own recursion was met runs again with what that gave,
  // until nothing grows (effects only accumulate).
  for (unsigned Round = 0; Round < 16; ++Round) {
    Lowest = ~0u;
    S = FunctionSummary();
    S.Params.assign(F->getNumParams(), 0);
    summarize(F, *IR, S, 0);
    FunctionSummary &Known = Provisional[F];
    bool Grew = Known.Params != S.Params || Known.Members != S.Members;
    Known = S;
    if (Lowest != Depth || !Grew)
      break;
  }
  Active.erase(F);
  // Final unless it leaned on a caller still in progress; that caller will
  // ask again.
  bool Final = Lowest >= Depth;
  Lowest = std::min(Outer, Final ? Outer : Lowest);
  if (!Final)
    return Provisional[F];
  Provisional.erase(F);
  return Done[F] = std::move(S);
}

} // namespace chanlint
