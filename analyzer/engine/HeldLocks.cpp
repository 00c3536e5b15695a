#include "HeldLocks.h"

#include "../ApiIndex.h"
#include "../FunctionIR.h"
#include "../OpRecognizer.h"
#include "../StatementWrites.h"

#include "Dataflow.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace chanlint::engine {

namespace {

/// The declaration naming a mutex expression: `mu`, `this->mu_`, `s.mu`.
HeldLocks::Mutex mutexNamed(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_Deref)
    E = U->getSubExpr();
  return namedVariable(E);
}

/// One lattice for both questions: must intersects, may unites.
class LockAnalysis {
public:
  using State = HeldLocks::State;
  /// Which types are mutexes and guards: the library models' sync section.
  LockAnalysis(bool Must, const ApiIndex &Api) : Must(Must), Api(Api) {}

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
  void transferEdge(const FlowEdge &, State &) const {}

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
    const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
    if (!M || !M->getIdentifier())
      return;
    llvm::StringRef Name = M->getName();
    const Expr *Obj = MC->getImplicitObjectArgument();
    bool Locks = Name == "lock" || Name == "lock_shared";
    bool Unlocks = Name == "unlock" || Name == "unlock_shared";
    if (!Locks && !Unlocks)
      return;
    if (Api.isMutex(Obj->getType())) {
      if (HeldLocks::Mutex Mu = mutexNamed(Obj))
        Locks ? (void)St.Held.insert(Mu) : (void)St.Held.erase(Mu);
    } else if (Api.isLockGuard(Obj->getType())) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Obj->IgnoreParenImpCasts()))
        if (const auto *G = dyn_cast<VarDecl>(DRE->getDecl())) {
          auto It = St.Guards.find(G);
          if (It != St.Guards.end())
            for (HeldLocks::Mutex Mu : It->second)
              Locks ? (void)St.Held.insert(Mu) : (void)St.Held.erase(Mu);
        }
    }
  }

private:
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
      else if (Api.isMutex(Arg->getType()))
        if (HeldLocks::Mutex Mu = mutexNamed(Arg))
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
  const ApiIndex &Api;
};

std::map<std::pair<unsigned, unsigned>, HeldLocks::State> solve(const FunctionIR &IR,
                                                                 bool Must) {
  LockAnalysis A(Must, IR.recognizer().api());
  ForwardDataflow<LockAnalysis> Solver(IR.flow(ExceptionEdges::Throws), A);
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
