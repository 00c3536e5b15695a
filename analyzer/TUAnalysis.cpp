#include "TUAnalysis.h"

#include "ApiIndex.h"
#include "Concurrency.h"
#include "EffectSummary.h"
#include "FindingContext.h"
#include "OpRecognizer.h"
#include "ParentIndex.h"
#include "engine/Dataflow.h"
#include "rules/RuleRegistry.h"

#include "clang/AST/DeclTemplate.h"

#include <optional>
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>
#include <cstdlib>
#include <map>

using namespace clang;

namespace chanlint {

namespace {
thread_local const TUAnalysis::Observer *CurrentObserver = nullptr;
} // namespace

bool AnalysisConfig::enabled(CheckId Id) const {
  return Enabled.empty() || llvm::is_contained(Enabled, Id);
}

std::string AnalysisConfig::fingerprint() const {
  std::string F = Models.fingerprint() + Rules.fingerprint();
  F += ";" + std::to_string(Limits.MaxFrames) + "," +
       std::to_string(Limits.MaxDepth) + "," + std::to_string(Limits.MaxTasks);
  for (CheckId Id : Enabled)
    F += ";" + checkInfo(Id).Name.str();
  return F;
}

namespace {

/// Indices of Items (anything with a Loc) in source order of their
/// anchors, then by Kind, then as recorded: a total order, so that the
/// first one recorded wins among equals whatever the sort does.
template <typename T, typename KindOf>
std::vector<size_t> inSourceOrder(const std::vector<T> &Items,
                                  const SourceManager &SM, KindOf Kind) {
  std::vector<size_t> Order(Items.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  std::sort(Order.begin(), Order.end(), [&](size_t IA, size_t IB) {
    const T &A = Items[IA], &B = Items[IB];
    SourceLocation LA = SM.getExpansionLoc(A.Loc), LB = SM.getExpansionLoc(B.Loc);
    if (LA != LB)
      return SM.isBeforeInTranslationUnit(LA, LB);
    if (Kind(A) != Kind(B))
      return Kind(A) < Kind(B);
    return IA < IB;
  });
  return Order;
}

/// A declaration of the library or the system, not user code: a library
/// namespace (`chan`, `std`), anything in a system header.
bool isLibraryCode(const Decl *D, const ApiIndex &Api) {
  if (isa<NamespaceDecl>(D) && Api.isLibraryDecl(D))
    return true;
  const SourceManager &SM = D->getASTContext().getSourceManager();
  SourceLocation L = D->getLocation();
  return L.isValid() && SM.isInSystemHeader(SM.getExpansionLoc(L));
}

/// True if the TU declares the outermost name of one of the libraries'
/// handle types (namespace `chan` for chan::Chan): without one no check has
/// anything to find, and the analysis stops before it walks anything.
bool declaresLibraryTypes(ASTContext &Ctx, const ModelSet &Models) {
  std::vector<llvm::StringRef> Names;
  for (const auto &Model : Models.models()) {
    for (const ChannelTypeModel &C : Model->Channels)
      Names.push_back(C.QualifiedName);
    for (const auto *Timers : {&Model->Tickers, &Model->Timers})
      for (const TimerModel &T : *Timers)
        Names.push_back(T.Type);
    for (const ContextModel &C : Model->Contexts)
      Names.push_back(C.Type);
    for (const WaitGroupModel &W : Model->WaitGroups)
      Names.push_back(W.Type);
    for (const GroupModel &G : Model->Groups)
      Names.push_back(G.Type);
  }
  TranslationUnitDecl *TU = Ctx.getTranslationUnitDecl();
  for (llvm::StringRef N : Names) {
    llvm::StringRef Outermost = N.split("::").first;
    if (!Outermost.empty() && !TU->lookup(&Ctx.Idents.get(Outermost)).empty())
      return true;
  }
  return false;
}

/// While the analysis runs, the AST's traversal scope (what the parent map
/// is built over) is the user's top-level declarations: the parent map of a
/// whole TU, standard library included, is most of the analysis' time and
/// memory. The scope the other checks see is restored afterwards.
class UserTraversalScope {
public:
  UserTraversalScope(ASTContext &Ctx, const ApiIndex &Api)
      : Ctx(Ctx), Saved(Ctx.getTraversalScope()) {
    std::vector<Decl *> User;
    for (Decl *D : Ctx.getTranslationUnitDecl()->decls())
      if (!isLibraryCode(D, Api))
        User.push_back(D);
    Ctx.setTraversalScope(User);
  }
  ~UserTraversalScope() { Ctx.setTraversalScope(Saved); }

private:
  ASTContext &Ctx;
  std::vector<Decl *> Saved;
};

/// Collects the function bodies of user code, and groups them into roots.
class RootCollector : public RecursiveASTVisitor<RootCollector> {
public:
  RootCollector(const OpRecognizer &R) : R(R) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitLambdaBodies() const { return true; }

  /// Only user code is walked: the library's declarations (its namespaces,
  /// the standard library's, system headers) are a model, not code to
  /// analyse, and with their instantiations they are most of a TU.
  bool TraverseDecl(Decl *D) {
    if (D && !isa<TranslationUnitDecl>(D) && isLibraryCode(D, R.api()))
      return true;
    return RecursiveASTVisitor::TraverseDecl(D);
  }

  bool VisitFunctionDecl(FunctionDecl *F) {
    if (F->isInvalidDecl() || !F->doesThisDeclarationHaveABody() ||
        !R.isUserFunction(F) || F->isDependentContext() && isTemplateWithSpecializations(F))
      return true;
    Bodies.insert(F);
    const auto *M = dyn_cast<CXXMethodDecl>(F);
    if (M && M->getParent()->isLambda())
      return true; // reached through the function that makes the lambda
    if (M)
      Classes[M->getParent()].push_back(F);
    else
      Free.push_back(F);
    return true;
  }

  /// Lambda bodies are analysed on their own by the per-function checks.
  bool VisitLambdaExpr(LambdaExpr *L) {
    const CXXMethodDecl *Call = L->getCallOperator();
    if (const FunctionTemplateDecl *T = Call->getDescribedFunctionTemplate()) {
      for (const FunctionDecl *Spec : T->specializations())
        if (Spec->hasBody() && R.isUserFunction(Spec))
          Bodies.insert(Spec);
      return true;
    }
    if (Call->hasBody() && R.isUserFunction(Call))
      Bodies.insert(Call);
    return true;
  }

  llvm::SetVector<const FunctionDecl *> Bodies;
  std::vector<const FunctionDecl *> Free;
  llvm::MapVector<const CXXRecordDecl *, std::vector<const FunctionDecl *>> Classes;

private:
  /// A template pattern whose instantiations are analysed instead.
  static bool isTemplateWithSpecializations(const FunctionDecl *F) {
    if (const FunctionTemplateDecl *T = F->getDescribedFunctionTemplate())
      for (const FunctionDecl *S : T->specializations())
        if (S->hasBody())
          return true;
    if (const auto *M = dyn_cast<CXXMethodDecl>(F)) {
      const CXXRecordDecl *RD = M->getParent();
      if (const ClassTemplateDecl *CT = RD->getDescribedClassTemplate())
        for (const ClassTemplateSpecializationDecl *S : CT->specializations())
          if (S->hasDefinition())
            return true;
    }
    return false;
  }

  const OpRecognizer &R;
};

/// Functions that run inside tasks started by the given functions: task
/// bodies and everything they call or defer.
llvm::DenseSet<const FunctionDecl *>
runInTasks(llvm::ArrayRef<const FunctionDecl *> Starters, IRCache &IRs) {
  llvm::DenseSet<const FunctionDecl *> InTask, Seen;
  std::vector<std::pair<const FunctionDecl *, bool>> Work;
  for (const FunctionDecl *F : Starters)
    Work.emplace_back(F, false);
  while (!Work.empty()) {
    auto [F, Task] = Work.back();
    Work.pop_back();
    if (Task && !InTask.insert(F).second)
      continue;
    if (!Task && !Seen.insert(F).second)
      continue;
    // Only a spawn makes a task, and a body that touches no channel runs
    // none, itself or through its callees (a std::thread is a tracked
    // type). Inside a task every callee is part of it: followed anyway.
    if (!Task && !IRs.touch().touches(F))
      continue;
    const FunctionIR *IR = IRs.get(F);
    if (!IR)
      continue;
    IR->forEachOp([&](const Op &O, OpLocation) {
      auto Visit = [&](const Callable &C, bool StartsTask) {
        if (C.valid())
          Work.emplace_back(C.Body, Task || StartsTask);
      };
      Visit(O.Target, O.Kind == OpKind::Spawn && !O.Synchronous);
      for (const StoredCallable &S : O.StoredTargets)
        Visit(S.Target, true);
      for (const SelectCase &C : O.Cases)
        Visit(C.Callback, false);
    });
  }
  return InTask;
}

/// The entries of a class root: its methods, except those that only run as
/// (part of) a task the class starts itself — `chan::go([this] { loop(); })`
/// makes loop() a task, not a second, concurrent caller of itself.
std::vector<const FunctionDecl *>
classEntries(const std::vector<const FunctionDecl *> &Methods, IRCache &IRs) {
  llvm::DenseSet<const FunctionDecl *> InTask = runInTasks(Methods, IRs);
  std::vector<const FunctionDecl *> Entries;
  for (const FunctionDecl *M : Methods)
    if (isa<CXXConstructorDecl, CXXDestructorDecl>(M) || !InTask.contains(M))
      Entries.push_back(M);
  return Entries;
}

/// The rules to run: those of enabled checks, with their checks' ids.
struct EnabledRules {
  std::vector<std::pair<CheckId, ProgramRuleFn>> Program;
  std::vector<std::pair<CheckId, FunctionRuleFn>> Function;

  explicit EnabledRules(const AnalysisConfig &Config) {
    for (const Rule &R : RuleRegistry::all()) {
      CheckId Id = checkNamed(R.Check);
      if (!Config.enabled(Id))
        continue;
      if (R.OnProgram)
        Program.emplace_back(Id, R.OnProgram);
      if (R.OnFunction)
        Function.emplace_back(Id, R.OnFunction);
    }
  }
};

/// A function's name for messages; lambdas have none worth showing.
std::string nameOf(const FunctionDecl *F) {
  if (!F)
    return "?";
  if (const auto *M = dyn_cast<CXXMethodDecl>(F); M && M->getParent()->isLambda())
    return "a lambda";
  return "'" + F->getQualifiedNameAsString() + "'";
}

/// Collects where bounds cut the analysis short and says it in one line
/// each: which bound, its value, the root, what is missing.
class BoundHitLog {
public:
  BoundHitLog(const ASTContext &Ctx, const AnalysisConfig &Config)
      : SM(Ctx.getSourceManager()), Limits(Config.Limits) {}

  void modelLimit(const Root &R, const LimitHit &H) {
    std::string RootName = "'" + R.describe() + "'";
    BoundHit B;
    B.Root = R.describe();
    B.Loc = H.Site ? H.Site->getBeginLoc() : rootLocation(R);
    switch (H.Which) {
    case LimitHit::Limit::Depth:
      B.Bound = BoundHit::Kind::CallDepth;
      B.Limit = Limits.MaxDepth;
      B.Message = "the analysis of " + RootName + " does not follow " + nameOf(H.Callee) +
                  " from here: it is nested more than " + std::to_string(B.Limit) +
                  " calls and task starts deep (the depth bound); findings past this "
                  "point are missing";
      break;
    case LimitHit::Limit::Tasks:
      B.Bound = BoundHit::Kind::Tasks;
      B.Limit = Limits.MaxTasks;
      B.Message = RootName + " was not analysed: it starts more than " +
                  std::to_string(B.Limit) +
                  " tasks (the task bound), the next one here; its findings are missing";
      break;
    case LimitHit::Limit::Frames:
      B.Bound = BoundHit::Kind::Frames;
      B.Limit = Limits.MaxFrames;
      B.Message = RootName + " was not analysed: it runs more than " +
                  std::to_string(B.Limit) +
                  " function bodies (the work bound), the next one here; its findings "
                  "are missing";
      break;
    }
    add(std::move(B));
  }

  /// Frames of a root, or a function body, whose dataflow stopped before
  /// its fixed point.
  void dataflow(const Root &R, unsigned Frames) {
    BoundHit B;
    B.Bound = BoundHit::Kind::Dataflow;
    B.Limit = engine::SolverOptions().MaxRounds;
    B.Root = R.describe();
    B.Loc = rootLocation(R);
    B.Message = "the concurrency analysis of '" + R.describe() + "' stopped after " +
                std::to_string(B.Limit) + " rounds in " + std::to_string(Frames) +
                " function bodies (the dataflow bound); its findings may be incomplete";
    add(std::move(B));
  }
  void dataflow(const FunctionDecl *F) {
    BoundHit B;
    B.Bound = BoundHit::Kind::Dataflow;
    B.Limit = engine::SolverOptions().MaxRounds;
    B.Root = F->getQualifiedNameAsString();
    B.Loc = F->getLocation();
    B.Message = "the dataflow of " + nameOf(F) + " stopped after " + std::to_string(B.Limit) +
                " rounds (the dataflow bound); its findings may be incomplete";
    add(std::move(B));
  }

  /// In source order, once per bound and place (a helper cut short under
  /// several roots is named under the first).
  std::vector<BoundHit> take() {
    // A total order, ties to the first recorded: which root names a place
    // does not depend on the sort.
    std::vector<size_t> Order =
        inSourceOrder(Hits, SM, [](const BoundHit &H) { return H.Bound; });
    std::vector<BoundHit> Out;
    for (size_t I : Order) {
      BoundHit &B = Hits[I];
      if (Out.empty() || Out.back().Bound != B.Bound ||
          SM.getExpansionLoc(Out.back().Loc) != SM.getExpansionLoc(B.Loc))
        Out.push_back(std::move(B));
    }
    return Out;
  }

private:
  static SourceLocation rootLocation(const Root &R) {
    if (R.Class)
      return R.Class->getLocation();
    return R.Entries.empty() ? SourceLocation() : R.Entries.front()->getLocation();
  }
  void add(BoundHit B) { Hits.push_back(std::move(B)); }

  const SourceManager &SM;
  const ModelLimits &Limits;
  std::vector<BoundHit> Hits;
};

/// Runs one rule and stamps what it found with its check.
template <typename Fn, typename... Args>
void runRule(CheckId Id, Fn Rule, std::vector<Finding> &All, Args &&...A) {
  size_t Before = All.size();
  PhaseScope Timed(Phase::Rule, Id);
  Rule(std::forward<Args>(A)..., All);
  for (size_t I = Before; I < All.size(); ++I)
    All[I].Check = Id;
}

} // namespace

std::shared_ptr<TUAnalysis> TUAnalysis::run(ASTContext &Ctx,
                                            const AnalysisConfig &Config) {
  auto Result = std::make_shared<TUAnalysis>();
  PhaseClock Clock(Result->Stats.Times);
  ApiIndex Api(Config.Models);
  OpRecognizer Recognizer(Api, Ctx);
  // CHANLINT_BUILD_ALL_IR=1 builds the IR of every body, as before the
  // syntactic pre-test (ChannelTouch): to measure it and to check that the
  // findings do not change.
  IRCache IRs(Recognizer, /*TouchFilter=*/!std::getenv("CHANLINT_BUILD_ALL_IR"));
  EffectSummaries Summaries(IRs);

  if (!declaresLibraryTypes(Ctx, Config.Models)) {
    if (const Observer *O = CurrentObserver)
      (*O)(*Result, Ctx);
    return Result;
  }
  UserTraversalScope Scope(Ctx, Api);
  // Parents from an index of the user's code that holds only what a walk
  // up from a statement can reach (ParentIndex.h), not clang's map of every
  // node. CHANLINT_CLANG_PARENTS=1 asks clang's map, as before: to measure
  // it and to check that the findings do not change.
  ParentIndex Parents(Ctx);
  std::optional<ParentIndex::Use> AskParents;
  if (!std::getenv("CHANLINT_CLANG_PARENTS"))
    AskParents.emplace(Parents);
  RootCollector Collector(Recognizer);
  Collector.TraverseDecl(Ctx.getTranslationUnitDecl());
  AnalysisStats &Stats = Result->Stats;
  Stats.Functions = Collector.Bodies.size();

  EnabledRules Rules(Config);
  std::vector<Finding> All;
  BoundHitLog Bounds(Ctx, Config);
  // The program view (models, concurrency) only when a rule asks for it.
  std::vector<Root> Roots;
  if (!Rules.Program.empty()) {
    Roots.reserve(Collector.Free.size() + Collector.Classes.size());
    for (const FunctionDecl *F : Collector.Free)
      Roots.push_back(Root{{F}, nullptr});
    for (auto &[Class, Methods] : Collector.Classes)
      Roots.push_back(Root{classEntries(Methods, IRs), Class});
  }
  for (const Root &R : Roots) {
    bool Relevant = false;
    for (const FunctionDecl *F : R.Entries)
      Relevant |= IRs.relevant(F);
    if (!Relevant)
      continue;
    ++Stats.Roots;
    std::vector<LimitHit> Hits;
    std::unique_ptr<ProgramModel> M = [&] {
      PhaseScope Timed(Phase::Model);
      return ProgramModel::build(R, IRs, Config.Limits, &Hits);
    }();
    for (const LimitHit &H : Hits)
      Bounds.modelLimit(R, H);
    if (!M) {
      ++Stats.RootsOverBudget;
      continue;
    }
    Stats.Frames += M->frames().size();
    Stats.Tasks += M->numTasks();
    std::optional<PhaseScope> TimedConcurrency(std::in_place, Phase::Concurrency);
    Concurrency Conc(*M);
    TimedConcurrency.reset();
    if (std::getenv("CHANLINT_DEBUG_MODEL")) {
      llvm::errs() << "== root " << R.describe() << "\n";
      M->dump(llvm::errs(), Ctx.getSourceManager());
      for (const Event &E : M->events()) {
        llvm::errs() << "view of event at frame " << E.Frame << ":";
        const llvm::BitVector &V = Conc.view(E);
        for (unsigned T = 0; T < V.size(); ++T)
          if (V.test(T))
            llvm::errs() << " " << T;
        llvm::errs() << "\n";
      }
    }
    if (unsigned Partial = Conc.framesOverBound()) {
      Stats.DataflowOverBound += Partial;
      Bounds.dataflow(R, Partial);
    }
    RuleContext RC{Ctx, Api, *M, Conc, Config.Rules};
    for (auto [Id, Rule] : Rules.Program)
      runRule(Id, Rule, All, RC);
  }

  FunctionRuleContext FC{Ctx, IRs, Summaries, Config.Rules};
  for (const FunctionDecl *F : Collector.Bodies) {
    if (Rules.Function.empty())
      break;
    // Every function rule starts from an op of the body (a select, a
    // ticker, a cancel function, a blocking op or a call into one): none
    // in a body that touches no channel.
    if (!IRs.touch().touches(F)) {
      ++Stats.FunctionsUntouched;
      continue;
    }
    const FunctionIR *IR = IRs.get(F);
    if (!IR) {
      ++Stats.FunctionsWithoutCFG;
      continue;
    }
    unsigned PartialBefore = FC.FunctionsOverBound;
    for (auto [Id, Rule] : Rules.Function)
      runRule(Id, Rule, All, FC, *IR);
    if (FC.FunctionsOverBound > PartialBefore)
      Bounds.dataflow(F);
  }
  Stats.DataflowOverBound += FC.FunctionsOverBound;
  Stats.IRsBuilt = IRs.built();
  // Counted, not hidden: the outputs say where (not as findings, so exit
  // codes and baselines stay about the code).
  Result->BoundHits = Bounds.take();

  // One finding per check and anchor, whatever the number of roots,
  // instantiations or parties that led to it; in source order.
  const SourceManager &SM = Ctx.getSourceManager();
  {
    PhaseScope TimedFindings(Phase::Findings);
    // Among equal anchors the first one produced wins (its notes are kept):
    // sort positions with that as the last key, a total order.
    std::vector<size_t> Order =
        inSourceOrder(All, SM, [](const Finding &F) { return F.Check; });
    FindingContext Context(Ctx, Collector.Bodies.getArrayRef());
    for (size_t I : Order) {
      Finding &F = All[I];
      if (!Result->Findings.empty()) {
        const Finding &Last = Result->Findings.back();
        if (Last.Check == F.Check &&
            SM.getExpansionLoc(Last.Loc) == SM.getExpansionLoc(F.Loc))
          continue;
      }
      Context.complete(F);
      Result->Findings.push_back(std::move(F));
    }
    if (const Observer *O = CurrentObserver)
      (*O)(*Result, Ctx);
  }
  // What the locals free on the way out (the IR, the models' caches, the
  // parent map) is part of the analysis' cost.
  Clock.enter(Phase::Cleanup);
  return Result;
}

bool TUAnalysis::observedOnThisThread() { return CurrentObserver != nullptr; }

const TUAnalysis::Observer *
TUAnalysis::observeOnThisThread(const Observer *O) {
  const Observer *Previous = CurrentObserver;
  CurrentObserver = O;
  return Previous;
}

std::shared_ptr<TUAnalysis> TUAnalysis::shared(ASTContext &Ctx,
                                               const AnalysisConfig &Config) {
  // The checks of one TU run one after the other on the same ASTContext
  // and keep the result alive until the TU ends; a new TU finds it expired.
  struct Slot {
    std::weak_ptr<TUAnalysis> Analysis;
    const ASTContext *Ctx = nullptr;
    std::string Key;
  };
  thread_local Slot Last;
  std::string Key = Config.fingerprint();
  if (auto A = Last.Analysis.lock(); A && Last.Ctx == &Ctx && Last.Key == Key)
    return A;
  auto A = run(Ctx, Config);
  Last.Analysis = A;
  Last.Ctx = &Ctx;
  Last.Key = Key;
  return A;
}

std::vector<const Finding *> TUAnalysis::findings(CheckId Id) const {
  std::vector<const Finding *> Out;
  for (const Finding &F : Findings)
    if (F.Check == Id)
      Out.push_back(&F);
  return Out;
}

} // namespace chanlint
