#include "OpRecognizer.h"

#include "AncestorWalk.h"
#include "StoredCallables.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace chanlint {

namespace {

/// What a prvalue passes through on its way up to where it is used (a
/// coroutine call's awaitable to co_spawn or to co_await).
bool isTemporaryWrapper(const Expr *E) {
  return isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ParenExpr,
             CXXConstructExpr>(E);
}

/// The object a modelled method is called on, as the rules must see it. A
/// method the modelled class inherits from a base that no model names
/// (close() of Boost.Thread's sync_queue, declared in
/// detail::sync_queue_base; Asio's async_send) is called through an implicit
/// conversion to that base, whose type picks no model: the object before the
/// conversion has the modelled type, and with it the model's answers
/// (receiver_may_close, on_closed, the value argument).
const Expr *modelledObject(const Expr *Object, const ApiIndex &Api) {
  const auto *Cast = Object ? dyn_cast<ImplicitCastExpr>(Object->IgnoreParens()) : nullptr;
  if (!Cast ||
      (Cast->getCastKind() != CK_DerivedToBase &&
       Cast->getCastKind() != CK_UncheckedDerivedToBase) ||
      Api.roleOf(Cast->getType()) != TypeRole::None)
    return Object;
  return Cast->getSubExpr();
}

/// The first template type argument of a library container type.
QualType containerElement(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
      T.getCanonicalType()->getAsCXXRecordDecl());
  if (!Spec)
    return {};
  for (const TemplateArgument &A : Spec->getTemplateArgs().asArray())
    if (A.getKind() == TemplateArgument::Type)
      return A.getAsType();
  return {};
}

} // namespace

const Expr *OpRecognizer::strip(const Expr *E) const {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = M->getSubExpr();
    } else if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = B->getSubExpr();
    } else if (const auto *C = dyn_cast<ExprWithCleanups>(E)) {
      E = C->getSubExpr();
    } else if (const auto *FC = dyn_cast<CXXFunctionalCastExpr>(E);
               FC && (FC->getCastKind() == CK_NoOp ||
                      FC->getCastKind() == CK_ConstructorConversion)) {
      // `chan::Chan<int>(n)`: a one-argument construction is a cast.
      E = FC->getSubExpr();
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(E);
               CE && CE->getNumArgs() == 1 &&
               Api.isTracked(CE->getArg(0)->getType()) &&
               Api.isTracked(CE->getType())) {
      // Copies, moves and view conversions keep the object.
      E = CE->getArg(0);
    } else if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E);
               MC && Api.roleOf(MC->getMethodDecl()) == MethodRole::View) {
      E = MC->getImplicitObjectArgument();
    } else if (const Expr *Arg = Api.passedThrough(dyn_cast<CallExpr>(E))) {
      // std::move(ch), std::ref(ch), boost::ref(q): the models' moves and wraps.
      E = Arg;
    } else {
      return E;
    }
  }
  return E;
}

const FunctionDecl *OpRecognizer::definitionOf(const FunctionDecl *F) const {
  if (!F)
    return nullptr;
  const FunctionDecl *Def = nullptr;
  if (F->hasBody(Def) && Def && Def->getBody())
    return Def;
  return nullptr;
}

bool OpRecognizer::isUserFunction(const FunctionDecl *F) const {
  if (!F || F->isImplicit() || F->isDefaulted())
    return false;
  const FunctionDecl *Def = definitionOf(F);
  if (!Def)
    return false;
  if (Api.isLibraryDecl(Def))
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  return !SM.isInSystemHeader(SM.getExpansionLoc(Def->getLocation()));
}

const FunctionDecl *OpRecognizer::lambdaBody(const LambdaExpr *L) const {
  const CXXMethodDecl *Call = L->getCallOperator();
  if (const FunctionTemplateDecl *T = Call->getDescribedFunctionTemplate())
    for (const FunctionDecl *Spec : T->specializations())
      if (Spec->hasBody())
        return Spec;
  return Call;
}

Callable OpRecognizer::resolveCallable(const Expr *E,
                                       llvm::ArrayRef<const Expr *> Args) const {
  Callable C;
  if (!E)
    return C;
  // A lambda wrapped in a std::function (or similar) on its way in.
  auto Unwrap = [&](const Expr *X) {
    X = strip(X);
    if (const auto *CE = dyn_cast<CXXConstructExpr>(X);
        CE && CE->getNumArgs() == 1 && isa<LambdaExpr>(strip(CE->getArg(0))))
      X = strip(CE->getArg(0));
    return X;
  };
  E = Unwrap(E);
  // A named local holding a lambda: `auto worker = [&] {...}; go(worker);`,
  // also through a wrapper such as std::function.
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
        V && !isa<ParmVarDecl>(V) && V->getInit()) {
      const Expr *Init = Unwrap(V->getInit());
      if (isa<LambdaExpr>(Init))
        E = Init;
    }

  if (const auto *L = dyn_cast<LambdaExpr>(E)) {
    C.Lambda = L;
    C.Body = lambdaBody(L);
    C.Args.assign(Args.begin(), Args.end());
    return C;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
    E = strip(U->getSubExpr());
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    if (const auto *P = dyn_cast<ParmVarDecl>(DRE->getDecl())) {
      C.Param = P;
      C.Args.assign(Args.begin(), Args.end());
      return C;
    }
    const auto *F = dyn_cast<FunctionDecl>(DRE->getDecl());
    if (!F || !isUserFunction(F))
      return C;
    const auto *M = dyn_cast<CXXMethodDecl>(F);
    if (M && M->isInstance()) {
      // std::thread(&Worker::run, this, args...)
      if (Args.empty())
        return C;
      C.Object = Args.front();
      C.Args.assign(Args.begin() + 1, Args.end());
    } else {
      C.Args.assign(Args.begin(), Args.end());
    }
    C.Body = definitionOf(F);
  }
  return C;
}

MethodRole OpRecognizer::memberRole(const CallExpr *Call,
                                    const Expr **Object) const {
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    MethodRole Role = Api.roleOfCall(MC);
    *Object = Role == MethodRole::None ? MC->getImplicitObjectArgument()
                                       : modelledObject(MC->getImplicitObjectArgument(), Api);
    return Role;
  }
  const Expr *Callee = Call->getCallee()->IgnoreParenImpCasts();
  if (const auto *D = dyn_cast<CXXDependentScopeMemberExpr>(Callee)) {
    if (D->isImplicitAccess())
      return MethodRole::None;
    *Object = D->getBase();
    return Api.roleOfMember(D->getBaseType(), D->getMember().getAsString());
  }
  if (const auto *U = dyn_cast<UnresolvedMemberExpr>(Callee)) {
    if (U->isImplicitAccess())
      return MethodRole::None;
    *Object = U->getBase();
    return Api.roleOfMember(U->getBaseType(), U->getMemberName().getAsString());
  }
  return MethodRole::None;
}

bool OpRecognizer::catchesClosedChannel(const Stmt *S) const {
  return walkUpInFunction(S, Ctx, [&](const DynTypedNode &P, const Stmt *Child) {
    const auto *Try = P.get<CXXTryStmt>();
    if (!Try || Try->getTryBlock() != Child)
      return false;
    for (unsigned I = 0; I < Try->getNumHandlers(); ++I) {
      QualType Caught = Try->getHandler(I)->getCaughtType();
      if (Caught.isNull())
        return true; // catch (...)
      const auto *RD = Caught.getNonReferenceType()->getAsCXXRecordDecl();
      if (Api.catchesClosedSend(RD))
        return true;
    }
    return false;
  });
}

std::optional<Op> OpRecognizer::recognize(const Stmt *S) const {
  if (const auto *Call = dyn_cast<CallExpr>(S))
    return recognizeCall(Call);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(S))
    return recognizeConstruct(CE);
  return std::nullopt;
}

std::optional<Op> OpRecognizer::recognizeCall(const CallExpr *Call) const {
  const Expr *Object = nullptr;
  MethodRole MR = memberRole(Call, &Object);
  auto Simple = [&](OpKind K) {
    Op O;
    O.Kind = K;
    O.Site = Call;
    O.Object = Object;
    return O;
  };
  switch (MR) {
  case MethodRole::Send:
  case MethodRole::TrySend: {
    Op O = Simple(MR == MethodRole::Send ? OpKind::Send : OpKind::TrySend);
    const ChannelTypeModel *C = Object ? Api.channelModel(Object->getType()) : nullptr;
    unsigned ValueArg = C ? C->ValueArg : 0;
    if (Call->getNumArgs() > ValueArg)
      O.Value = Call->getArg(ValueArg);
    return O;
  }
  case MethodRole::Recv:
    return Simple(OpKind::Recv);
  case MethodRole::TryRecv:
    return Simple(OpKind::TryRecv);
  case MethodRole::Close:
    return Simple(OpKind::Close);
  case MethodRole::Cancel:
    return Simple(OpKind::Cancel);
  case MethodRole::WgAdd:
    return Simple(OpKind::WgAdd);
  case MethodRole::WgDone:
    return Simple(OpKind::WgDone);
  case MethodRole::WgWait:
    return Simple(OpKind::WgWait);
  case MethodRole::GroupWait:
    return Simple(OpKind::GroupWait);
  case MethodRole::TimerStop:
    return Simple(OpKind::TimerStop);
  case MethodRole::ThreadJoin:
    return Simple(OpKind::Join);
  case MethodRole::Interrupt:
    return Simple(OpKind::Interrupt);
  case MethodRole::FutureWait:
    return Simple(OpKind::FutureWait);
  case MethodRole::OnceCall: {
    Op O = Simple(OpKind::OnceCall);
    if (Call->getNumArgs() > 0)
      O.Target = resolveCallable(Call->getArg(0), {});
    return O;
  }
  default:
    break;
  }

  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return std::nullopt;
  llvm::SmallVector<const Expr *, 4> Args(Call->arguments());

  if (const SpawnerModel *S = Api.spawnerFor(Callee))
    return spawnOp(Call, *S, Args, Object);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    if (auto O = containerSpawn(MC))
      return O;

  switch (Api.roleOf(Callee)) {
  case FunctionRole::Select:
    return recognizeSelect(Call);
  case FunctionRole::None:
    break;
  default:
    return std::nullopt;
  }

  if (!isUserFunction(Callee) || startedBySpawner(Call))
    return std::nullopt;
  Op O;
  O.Kind = OpKind::Call;
  O.Site = Call;
  O.Target.Body = definitionOf(Callee);
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    O.Target.Object = MC->getImplicitObjectArgument();
  } else if (isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee) &&
             !Args.empty()) {
    // obj(args...) on a lambda or functor: the object is the first argument.
    O.Target.Object = Args.front();
    Args.erase(Args.begin());
    if (const auto *RD = cast<CXXMethodDecl>(Callee)->getParent();
        RD->isLambda()) {
      Callable Resolved = resolveCallable(O.Target.Object, {});
      O.Target.Lambda = Resolved.Lambda;
    }
  }
  O.Target.Args.assign(Args.begin(), Args.end());
  return O;
}

std::optional<Op>
OpRecognizer::recognizeConstruct(const CXXConstructExpr *E) const {
  llvm::SmallVector<const Expr *, 4> Args(E->arguments());
  if (const SpawnerModel *S = Api.spawnerForConstruction(E->getType())) {
    // Moves of thread objects are not spawns.
    if (!Args.empty() && Api.roleOf(Args.front()->getType()) == TypeRole::Thread)
      return std::nullopt;
    if (Args.empty())
      return std::nullopt;
    return spawnOp(E, *S, Args, nullptr);
  }
  const CXXConstructorDecl *Ctor = E->getConstructor();
  if (!Ctor || Api.roleOf(E->getType()) != TypeRole::None ||
      !isUserFunction(Ctor))
    return std::nullopt;
  Op O;
  O.Kind = OpKind::Call;
  O.Site = E;
  O.Target.Body = definitionOf(Ctor);
  O.Target.Args.assign(Args.begin(), Args.end());
  bool Discarded = false;
  TaskHandle H = handleOf(E, Discarded);
  O.ConstructedVar = H.Var;
  O.ConstructedField = H.ThisField;
  return O;
}

std::optional<Op> OpRecognizer::recognizeSelect(const CallExpr *Call) const {
  Op O;
  O.Kind = OpKind::Select;
  O.Site = Call;
  for (const Expr *Arg : Call->arguments()) {
    std::optional<SelectCase> C = selectCase(Arg);
    if (!C)
      continue;
    if (C->K == SelectCase::Kind::Default)
      O.HasDefault = true;
    O.Cases.push_back(std::move(*C));
  }
  return O;
}

std::optional<SelectCase> OpRecognizer::selectCase(const Expr *Arg) const {
  const Expr *E = strip(Arg);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()); V && V->getInit())
      E = strip(V->getInit());
  const auto *Call = dyn_cast<CallExpr>(E);
  if (!Call)
    return std::nullopt;
  SelectCase C;
  C.Site = Call;
  auto Arg_ = [&](unsigned I) -> const Expr * {
    return I < Call->getNumArgs() ? Call->getArg(I) : nullptr;
  };
  switch (Api.roleOf(Call->getDirectCallee())) {
  case FunctionRole::RecvCase:
    C.K = SelectCase::Kind::Recv;
    C.Channel = Arg_(0);
    C.Callback = resolveCallable(Arg_(1), {});
    return C;
  case FunctionRole::SendCase:
    C.K = SelectCase::Kind::Send;
    C.Channel = Arg_(0);
    C.Value = Arg_(1);
    C.Callback = resolveCallable(Arg_(2), {});
    return C;
  case FunctionRole::DefaultCase:
    C.K = SelectCase::Kind::Default;
    C.Callback = resolveCallable(Arg_(0), {});
    return C;
  default:
    return std::nullopt;
  }
}

std::optional<unsigned>
OpRecognizer::callableIndex(const SpawnerModel &S,
                            llvm::ArrayRef<const Expr *> Args) const {
  if (S.CallableIsLast)
    return Args.empty() ? std::nullopt : std::optional<unsigned>(Args.size() - 1);
  unsigned Index = S.CallableArg;
  if (S.SkipLaunchPolicy && Args.size() > Index + 1 &&
      Args[Index]->getType()->isEnumeralType())
    ++Index;
  if (Args.size() <= Index)
    return std::nullopt;
  return Index;
}

Callable OpRecognizer::awaitableCall(const Expr *E) const {
  Callable C;
  // The spawner takes the awaitable by value: a move of the temporary.
  for (E = E ? strip(E) : nullptr; E;) {
    const auto *Move = dyn_cast<CXXConstructExpr>(E);
    if (!Move || Move->getNumArgs() != 1)
      break;
    E = strip(Move->getArg(0));
  }
  const auto *Call = dyn_cast_or_null<CallExpr>(E);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  if (!Callee || !isUserFunction(Callee))
    return C;
  C.Body = definitionOf(Callee);
  llvm::ArrayRef<const Expr *> Args(Call->getArgs(), Call->getNumArgs());
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    C.Object = MC->getImplicitObjectArgument();
  else if (isa<CXXOperatorCallExpr>(Call) && isa<CXXMethodDecl>(Callee) &&
           !Args.empty()) {
    C.Object = Args.front();
    Args = Args.drop_front();
  }
  C.Args.assign(Args.begin(), Args.end());
  return C;
}

bool OpRecognizer::startedBySpawner(const CallExpr *Call) const {
  // The awaitable a coroutine call makes runs where it is awaited; handed
  // to a spawner, it runs there as a task, not here.
  const Expr *Cur = Call;
  DynTypedNode Node = DynTypedNode::create(*Call);
  for (int Depth = 0; Depth < 8; ++Depth) {
    DynTypedNodeList Parents = parentsOf(Ctx, Node);
    if (Parents.empty())
      return false;
    const auto *PE = Parents[0].get<Expr>();
    if (!PE)
      return false;
    if (const auto *Outer = dyn_cast<CallExpr>(PE)) {
      const SpawnerModel *S = Api.spawnerFor(Outer->getDirectCallee());
      if (!S || !S->AcceptsAwaitable)
        return false;
      llvm::ArrayRef<const Expr *> Args(Outer->getArgs(), Outer->getNumArgs());
      std::optional<unsigned> I = callableIndex(*S, Args);
      return I && Args[*I] == Cur;
    }
    if (!isTemporaryWrapper(PE))
      return false;
    Node = Parents[0];
    Cur = PE;
  }
  return false;
}

bool OpRecognizer::awaitedAtOnce(const CallExpr *Call,
                                 const SpawnerModel &S) const {
  // The token follows the task (co_spawn's last parameter is a defaulted
  // SFINAE constraint, not the token).
  llvm::ArrayRef<const Expr *> Args(Call->getArgs(), Call->getNumArgs());
  std::optional<unsigned> Task = callableIndex(S, Args);
  if (S.AwaitedTokens.empty() || !Task || *Task + 1 >= Args.size() ||
      !Api.isAwaitedToken(S, Args[*Task + 1]->IgnoreImplicit()->getType()))
    return false;
  // Up through the temporaries to the co_await whose operand this is (the
  // awaitable's await_transform call is a second parent of the same node).
  DynTypedNode Node = DynTypedNode::create(*Call);
  for (int Depth = 0; Depth < 8; ++Depth) {
    DynTypedNodeList Parents = parentsOf(Ctx, Node);
    if (Parents.empty())
      return false;
    if (llvm::any_of(Parents, [](const DynTypedNode &P) {
          return P.get<CoawaitExpr>() != nullptr;
        }))
      return true;
    const auto *PE = Parents[0].get<Expr>();
    if (!PE || !isTemporaryWrapper(PE))
      return false;
    Node = Parents[0];
  }
  return false;
}

std::optional<Op> OpRecognizer::spawnOp(const Stmt *Site, const SpawnerModel &S,
                                        llvm::ArrayRef<const Expr *> Args,
                                        const Expr *GroupObject) const {
  std::optional<unsigned> At = callableIndex(S, Args);
  if (!At)
    return std::nullopt;
  unsigned Index = *At;
  Op O;
  O.Kind = OpKind::Spawn;
  O.Site = Site;
  O.Spawner = &S;
  O.Target = resolveCallable(Args[Index], Args.drop_front(Index + 1));
  if (!O.Target.valid() && !O.Target.Param && S.AcceptsAwaitable)
    O.Target = awaitableCall(Args[Index]);
  O.Target.FirstParamIsGroupContext = S.PassesContext;
  resolveElementTargets(Args[Index], Args.drop_front(Index + 1), O);
  if (S.Kind == SpawnerModel::Form::Method) {
    O.Handle.Expr = GroupObject;
  } else if (const auto *E = dyn_cast<Expr>(Site)) {
    bool Discarded = false;
    O.Handle = handleOf(E, Discarded);
    // The future of std::async blocks in its destructor: dropping it at
    // once makes the call synchronous.
    if (S.WaitsWhenDiscarded && Discarded)
      O.Synchronous = true;
    // A spawn co_awaited at once runs to its end before the awaiting party
    // goes on, the same as std::async's dropped future.
    if (const auto *Call = dyn_cast<CallExpr>(E); Call && awaitedAtOnce(Call, S))
      O.Synchronous = true;
  }
  return O;
}

std::optional<Op>
OpRecognizer::containerSpawn(const CXXMemberCallExpr *Call) const {
  // The thread element is constructed from the call's arguments.
  if (Call->getNumArgs() == 0 || Api.insertRoleOf(Call) != InsertRole::Emplace)
    return std::nullopt;
  const Expr *Container = Call->getImplicitObjectArgument();
  QualType Elem = containerElement(Container->getType());
  if (Elem.isNull() || Api.roleOf(Elem) != TypeRole::Thread)
    return std::nullopt;
  if (Api.roleOf(Call->getArg(0)->getType()) == TypeRole::Thread)
    return std::nullopt; // emplacing an existing thread object
  const SpawnerModel *S = Api.spawnerForConstruction(Elem);
  if (!S)
    return std::nullopt;
  llvm::SmallVector<const Expr *, 4> Args(Call->arguments());
  Op O;
  O.Kind = OpKind::Spawn;
  O.Site = Call;
  O.Spawner = S;
  O.Target = resolveCallable(Args.front(), llvm::ArrayRef(Args).drop_front());
  resolveElementTargets(Args.front(), llvm::ArrayRef(Args).drop_front(), O);
  O.Handle.Expr = Container;
  O.Handle.Element = true;
  return O;
}

void OpRecognizer::resolveElementTargets(const Expr *Callee,
                                         llvm::ArrayRef<const Expr *> Args,
                                         Op &Spawn) const {
  if (Spawn.Target.valid() || Spawn.Target.Param)
    return;
  StoredCallables Stored(*this);
  std::optional<ElementOf> El = Stored.elementOf(Callee, Spawn.Site);
  if (!El)
    return;
  Spawn.OncePerElement = Stored.oncePerElement(Spawn.Site, El->Loop);
  // What each started callable is called with, as for a resolved target.
  Spawn.Target.Args.assign(Args.begin(), Args.end());
  if (const auto *P = dyn_cast<ParmVarDecl>(El->Container)) {
    Spawn.ContainerParam = P;
    return;
  }
  Spawn.StoredTargets = Stored.storedInto(El->Container);
  for (StoredCallable &T : Spawn.StoredTargets) {
    T.Target.Args = Spawn.Target.Args;
    T.Target.FirstParamIsGroupContext = Spawn.Target.FirstParamIsGroupContext;
  }
}

TaskHandle OpRecognizer::handleOf(const Expr *Produced, bool &Discarded) const {
  TaskHandle H;
  DynTypedNode Node = DynTypedNode::create(*Produced);
  const Expr *Cur = Produced;
  for (int Depth = 0; Depth < 12; ++Depth) {
    DynTypedNodeList Parents = parentsOf(Ctx, Node);
    if (Parents.empty())
      break;
    const DynTypedNode &P = Parents[0];
    if (const auto *V = P.get<VarDecl>()) {
      H.Var = V;
      return H;
    }
    if (const auto *Init = P.get<CXXCtorInitializer>()) {
      H.ThisField = Init->getMember();
      return H;
    }
    // Member initialisers may be parented by the constructor itself.
    if (const auto *Ctor = P.get<CXXConstructorDecl>()) {
      for (const CXXCtorInitializer *Init : Ctor->inits())
        if (Init->getInit() && Init->getMember() &&
            Init->getInit()->IgnoreImplicit() == Cur->IgnoreImplicit()) {
          H.ThisField = Init->getMember();
          return H;
        }
      break;
    }
    const auto *PE = P.get<Expr>();
    if (!PE)
      break;
    if (isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr,
            ExprWithCleanups, ParenExpr, CXXFunctionalCastExpr>(PE) ||
        (isa<CXXConstructExpr>(PE) &&
         cast<CXXConstructExpr>(PE)->getNumArgs() == 1)) {
      Node = P;
      Cur = PE;
      continue;
    }
    if (Api.movedArgument(dyn_cast<CallExpr>(PE))) {
      Node = P;
      Cur = PE;
      continue;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(PE)) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      if (Obj && Obj != Cur && Api.insertRoleOf(MC) != InsertRole::None &&
          Api.isContainerOfHandles(Obj->getType())) {
        H.Expr = Obj;
        H.Element = true;
        return H;
      }
      break;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(PE);
        OC && OC->getOperator() == OO_Equal && OC->getNumArgs() == 2 &&
        OC->getArg(1)->IgnoreParenImpCasts() == Cur->IgnoreParenImpCasts()) {
      H.Expr = OC->getArg(0);
      return H;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(PE);
        BO && BO->getOpcode() == BO_Assign) {
      H.Expr = BO->getLHS();
      return H;
    }
    break;
  }
  Discarded = true;
  return H;
}

std::optional<Op> OpRecognizer::recognizeScopeExit(const VarDecl *V) const {
  QualType T = V->getType();
  Op O;
  O.ScopeVar = V;
  O.Site = V->getInit() ? static_cast<const Stmt *>(V->getInit()) : nullptr;
  switch (Api.roleOf(T)) {
  case TypeRole::Defer: {
    // The CXXConstructExpr of the Defer itself (not stripped: it has one
    // argument that is not a handle).
    const auto *CE = V->getInit()
                         ? dyn_cast<CXXConstructExpr>(
                               V->getInit()->IgnoreImplicit())
                         : nullptr;
    if (!CE || CE->getNumArgs() == 0)
      return std::nullopt;
    O.Kind = OpKind::DeferRun;
    O.Site = CE;
    O.Target = resolveCallable(CE->getArg(0), {});
    return O;
  }
  case TypeRole::Thread: {
    const SpawnerModel *S = Api.spawnerForConstruction(T);
    if (!S || !S->JoinsOnDestruction)
      return std::nullopt;
    O.Kind = OpKind::Join;
    return O;
  }
  case TypeRole::Future:
    O.Kind = OpKind::FutureWait;
    return O;
  case TypeRole::None: {
    // A user type's destructor runs here: it may close, join or stop.
    if (const auto *RD = T->getAsCXXRecordDecl(); RD && RD->hasDefinition())
      if (const CXXDestructorDecl *Dtor = RD->getDestructor();
          Dtor && isUserFunction(Dtor)) {
        O.Kind = OpKind::Call;
        O.Target.Body = definitionOf(Dtor);
        O.Site = V->getInit() ? static_cast<const Stmt *>(V->getInit()) : nullptr;
        return O;
      }
    QualType Elem = containerElement(T);
    if (!Elem.isNull() && Api.isContainerOfHandles(T)) {
      if (Api.roleOf(Elem) == TypeRole::Future) {
        O.Kind = OpKind::FutureWait;
        return O;
      }
      if (const SpawnerModel *S = Api.spawnerForConstruction(Elem);
          S && S->JoinsOnDestruction) {
        O.Kind = OpKind::Join;
        return O;
      }
    }
    return std::nullopt;
  }
  default:
    return std::nullopt;
  }
}

std::optional<Op>
OpRecognizer::recognizeRangeFor(const CXXForRangeStmt *S) const {
  const Expr *Range = S->getRangeInit();
  if (!Range || Api.roleOf(Range->getType()) != TypeRole::Channel)
    return std::nullopt;
  Op O;
  O.Kind = OpKind::RangeRecv;
  O.Site = S;
  O.Object = Range;
  return O;
}

void OpRecognizer::recordInitFacts(const ValueDecl *V, const Expr *Init,
                                   llvm::SmallVector<PathStep, 2> Steps,
                                   std::vector<AliasFact> &Out) const {
  const Expr *E = Init->IgnoreImplicit();
  auto Aggregate = [&](const RecordDecl *RD, llvm::ArrayRef<Expr *> Inits) {
    unsigned I = 0;
    for (const FieldDecl *F : RD->fields()) {
      if (I >= Inits.size())
        break;
      const Expr *FieldInit = Inits[I++];
      if (!Api.isTracked(F->getType()))
        continue;
      auto Sub = Steps;
      Sub.push_back(PathStep::field(F));
      recordInitFacts(V, FieldInit, Sub, Out);
    }
  };
  if (const auto *IL = dyn_cast<InitListExpr>(E)) {
    if (const RecordDecl *RD = IL->getType()->getAsRecordDecl();
        RD && IL->getNumInits() > 0 && Api.roleOf(IL->getType()) == TypeRole::None &&
        !Api.isContainerOfHandles(IL->getType())) {
      Aggregate(RD, llvm::ArrayRef<Expr *>(
                        const_cast<InitListExpr *>(IL)->getInits(),
                        IL->getNumInits()));
      return;
    }
  }
  if (const auto *PL = dyn_cast<CXXParenListInitExpr>(E)) {
    if (const RecordDecl *RD = PL->getType()->getAsRecordDecl()) {
      Aggregate(RD, const_cast<CXXParenListInitExpr *>(PL)->getInitExprs());
      return;
    }
  }
  AliasFact F;
  F.Kind = AliasFact::Lhs::Var;
  F.Var = V;
  F.Steps = std::move(Steps);
  F.Rhs = Init;
  Out.push_back(std::move(F));
}

void OpRecognizer::collectFacts(const Stmt *S, std::vector<AliasFact> &Out) const {
  if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    for (const Decl *D : DS->decls()) {
      const auto *V = dyn_cast<VarDecl>(D);
      if (!V || !V->getInit() || !Api.isTracked(V->getType()))
        continue;
      recordInitFacts(V, V->getInit(), {}, Out);
    }
    return;
  }
  auto Assign = [&](const Expr *L, const Expr *R) {
    if (!Api.isTracked(L->getType()))
      return;
    AliasFact F;
    F.Kind = AliasFact::Lhs::Expr;
    F.LhsExpr = L;
    F.Rhs = R;
    Out.push_back(std::move(F));
  };
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    if (BO->getOpcode() == BO_Assign)
      Assign(BO->getLHS(), BO->getRHS());
    return;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(S)) {
    if (OC->getOperator() == OO_Equal && OC->getNumArgs() == 2)
      Assign(OC->getArg(0), OC->getArg(1));
    return;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(S)) {
    const Expr *Obj = MC->getImplicitObjectArgument();
    if (!Obj || Api.insertRoleOf(MC) == InsertRole::None ||
        !Api.isContainerOfHandles(Obj->getType()))
      return;
    for (const Expr *Arg : MC->arguments()) {
      if (!Api.isTracked(Arg->getType()))
        continue;
      AliasFact F;
      F.Kind = AliasFact::Lhs::Expr;
      F.LhsExpr = Obj;
      F.Steps.push_back(PathStep::element());
      F.Rhs = Arg;
      Out.push_back(std::move(F));
    }
    return;
  }
  if (const auto *RS = dyn_cast<ReturnStmt>(S)) {
    if (const Expr *V = RS->getRetValue(); V && Api.isTracked(V->getType())) {
      AliasFact F;
      F.Kind = AliasFact::Lhs::Return;
      F.Rhs = V;
      Out.push_back(std::move(F));
    }
    return;
  }
  if (const auto *FR = dyn_cast<CXXForRangeStmt>(S)) {
    const Expr *Range = FR->getRangeInit();
    const VarDecl *Loop = FR->getLoopVariable();
    if (Range && Loop && Api.isContainerOfHandles(Range->getType())) {
      AliasFact F;
      F.Kind = AliasFact::Lhs::Var;
      F.Var = Loop;
      F.Rhs = Range;
      F.RhsElement = true;
      Out.push_back(std::move(F));
    }
  }
}

void OpRecognizer::collectInitializerFacts(const CXXConstructorDecl *Ctor,
                                           std::vector<AliasFact> &Out) const {
  for (const CXXCtorInitializer *Init : Ctor->inits()) {
    const FieldDecl *F = Init->getMember();
    if (!F || !Init->getInit() || !Api.isTracked(F->getType()))
      continue;
    AliasFact Fact;
    Fact.Kind = AliasFact::Lhs::ThisField;
    Fact.Field = F;
    Fact.Rhs = Init->getInit();
    Out.push_back(std::move(Fact));
  }
}

} // namespace chanlint
