#include "HeldLocks.h"

#include "../ApiIndex.h"
#include "../FunctionIR.h"
#include "../OpRecognizer.h"
#include "../StatementWrites.h"

#include "Dataflow.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Analysis/CFG.h"

using namespace clang;

namespace chanlint::engine {

namespace {

/// The declaration naming a mutex expression: `mu`, `this->mu_`, `s.mu`,
/// `*mu_ptr`, and `&mu` for a guard that takes a pointer (absl::MutexLock).
HeldLocks::Mutex mutexNamed(const ApiIndex &Api, const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && (U->getOpcode() == UO_Deref || U->getOpcode() == UO_AddrOf))
    E = U->getSubExpr();
  return namedVariable(Api, E);
}

/// A mutex, or a pointer to one: what a guard's constructor takes.
bool isMutexArgument(const ApiIndex &Api, QualType T) {
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  return Api.isMutex(T);
}

/// The try-lock a branch condition tests, and whether its true edge is the
/// one that holds the lock: `if (mu.try_lock())`, `if (!lk.try_lock())`.
const CXXMemberCallExpr *testedTryLock(const ApiIndex &Api, const Stmt *Cond,
                                       bool &HeldOnTrue) {
  HeldOnTrue = true;
  const auto *E = dyn_cast_or_null<Expr>(Cond);
  while (E) {
    E = E->IgnoreParenImpCasts();
    const auto *U = dyn_cast<UnaryOperator>(E);
    if (!U || U->getOpcode() != UO_LNot)
      break;
    HeldOnTrue = !HeldOnTrue;
    E = U->getSubExpr();
  }
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(E);
  return MC && Api.lockRoleOf(MC) == LockRole::TryLock ? MC : nullptr;
}

/// One lattice for both questions: must intersects, may unites.
class LockAnalysis {
public:
  using State = HeldLocks::State;
  /// Which types are mutexes and guards, and what their methods do: the
  /// library models' sync section.
  LockAnalysis(bool Must, const FlowGraph &G, const ApiIndex &Api)
      : Must(Must), G(G), Api(Api) {}

  bool Recording = false;
  std::map<std::pair<unsigned, unsigned>, State> AtOp;

  State bottom() const { return {}; }
  bool join(State &Into, const State &From) const {
    if (!From.Reached)
      return false;
    if (!Into.Reached) {
      Into = From;
      return true;
    }
    State Before = Into;
    if (Must) {
      std::set<HeldLocks::Mutex> Both;
      for (HeldLocks::Mutex M : Into.Held)
        if (From.Held.count(M))
          Both.insert(M);
      Into.Held = std::move(Both);
    } else {
      Into.Held.insert(From.Held.begin(), From.Held.end());
    }
    for (const auto &[Guard, Mutexes] : From.Guards)
      Into.Guards.try_emplace(Guard, Mutexes);
    return !(Into == Before);
  }

  /// A try-lock holds the lock on the branch where it returned true.
  void transferEdge(const FlowEdge &E, State &St) const {
    const CFGBlock *B = St.Reached ? G.cfgBlock(E.From) : nullptr;
    bool HeldOnTrue = true;
    const CXXMemberCallExpr *Try =
        B ? testedTryLock(Api, B->getTerminatorCondition(), HeldOnTrue) : nullptr;
    if (Try && E.SuccIndex == (HeldOnTrue ? 0u : 1u))
      apply(St, Try->getImplicitObjectArgument(), /*Locks=*/true);
  }

  void transfer(const FlowStep &S, State &St) {
    if (!St.Reached)
      return;
    if (Recording && S.O && !S.Exceptional)
      AtOp[{S.Loc.Block, S.Loc.Index}] = St;
    if (S.K == FlowStep::Kind::ScopeExit) {
      release(St, S.ScopeVar);
      return;
    }
    const Stmt *E = S.stmt();
    if (!E)
      return;
    if (const auto *DS = dyn_cast<DeclStmt>(E)) {
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D); V && Api.isLockGuard(V->getType()))
          construct(St, V);
      return;
    }
    const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
    switch (MC ? Api.lockRoleOf(MC) : LockRole::None) {
    case LockRole::Lock:
    case LockRole::LockShared:
      apply(St, MC->getImplicitObjectArgument(), /*Locks=*/true);
      break;
    case LockRole::Unlock:
      apply(St, MC->getImplicitObjectArgument(), /*Locks=*/false);
      break;
    default: // a try-lock holds on its true edge only
      break;
    }
  }

private:
  /// Obj, a mutex or a guard, locks or unlocks.
  void apply(State &St, const Expr *Obj, bool Locks) const {
    auto Set = [&](HeldLocks::Mutex Mu) {
      Locks ? (void)St.Held.insert(Mu) : (void)St.Held.erase(Mu);
    };
    if (Api.isLockGuard(Obj->getType())) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts()))
        if (const auto *G = dyn_cast<VarDecl>(DRE->getDecl())) {
          auto It = St.Guards.find(G);
          if (It != St.Guards.end())
            for (HeldLocks::Mutex Mu : It->second)
              Set(Mu);
        }
    } else if (HeldLocks::Mutex Mu = mutexNamed(Api, Obj)) {
      Set(Mu);
    }
  }

  void construct(State &St, const VarDecl *G) {
    const auto *CE = G->getInit()
                         ? dyn_cast<CXXConstructExpr>(G->getInit()->IgnoreImplicit())
                         : nullptr;
    if (!CE)
      return;
    std::vector<HeldLocks::Mutex> Mutexes;
    bool Deferred = false;
    for (const Expr *Arg : CE->arguments()) {
      if (Api.isDeferredLockTag(Arg->getType()))
        Deferred = true;
      else if (isMutexArgument(Api, Arg->getType()))
        if (HeldLocks::Mutex Mu = mutexNamed(Api, Arg))
          Mutexes.push_back(Mu);
    }
    St.Guards[G] = Mutexes;
    if (!Deferred)
      St.Held.insert(Mutexes.begin(), Mutexes.end());
  }

  void release(State &St, const VarDecl *G) {
    auto It = St.Guards.find(G);
    if (It == St.Guards.end())
      return;
    for (HeldLocks::Mutex Mu : It->second)
      St.Held.erase(Mu);
    St.Guards.erase(It);
  }

  bool Must;
  const FlowGraph &G;
  const ApiIndex &Api;
};

std::map<std::pair<unsigned, unsigned>, HeldLocks::State> solve(const FunctionIR &IR,
                                                                 bool Must) {
  const FlowGraph &G = IR.flow(ExceptionEdges::Throws);
  LockAnalysis A(Must, G, IR.recognizer().api());
  ForwardDataflow<LockAnalysis> Solver(G, A);
  HeldLocks::State Entry;
  Entry.Reached = true;
  if (Solver.solve(Entry) != SolveStatus::Converged)
    return {};
  A.Recording = true;
  Solver.replay();
  return std::move(A.AtOp);
}

} // namespace

HeldLocks::HeldLocks(const FunctionIR &IR) {
  for (auto &[L, S] : solve(IR, /*Must=*/true))
    AtOp[L].first = std::move(S);
  for (auto &[L, S] : solve(IR, /*Must=*/false))
    AtOp[L].second = std::move(S);
}

std::set<HeldLocks::Mutex> HeldLocks::mustHold(OpLocation L) const {
  auto It = AtOp.find({L.Block, L.Index});
  return It == AtOp.end() ? std::set<Mutex>{} : It->second.first.Held;
}

std::set<HeldLocks::Mutex> HeldLocks::mayHold(OpLocation L) const {
  auto It = AtOp.find({L.Block, L.Index});
  return It == AtOp.end() ? std::set<Mutex>{} : It->second.second.Held;
}

const clang::VarDecl *HeldLocks::guardOf(OpLocation L, Mutex M) const {
  auto It = AtOp.find({L.Block, L.Index});
  if (It == AtOp.end())
    return nullptr;
  for (const auto &[Guard, Mutexes] : It->second.first.Guards)
    if (llvm::is_contained(Mutexes, M))
      return Guard;
  return nullptr;
}

} // namespace chanlint::engine
