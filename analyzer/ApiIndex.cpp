#include "ApiIndex.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

using namespace clang;

namespace chanlint {

bool ApiIndex::contains(const std::vector<std::string> &V, llvm::StringRef S) {
  return llvm::is_contained(V, S);
}

std::string ApiIndex::qualifiedName(const NamedDecl *D) const {
  auto It = NameCache.find(D);
  if (It != NameCache.end())
    return It->second;
  llvm::SmallVector<llvm::StringRef, 6> Parts;
  const Decl *Cur = D;
  while (Cur) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(Cur)) {
      if (!NS->isInline() && !NS->isAnonymousNamespace())
        Parts.push_back(NS->getName());
    } else if (const auto *ND = dyn_cast<NamedDecl>(Cur)) {
      if (const IdentifierInfo *II = ND->getIdentifier())
        Parts.push_back(II->getName());
      else if (const auto *FD = dyn_cast<FunctionDecl>(ND);
               FD && FD->getOverloadedOperator() == OO_Call)
        Parts.push_back("operator()");
    }
    const DeclContext *DC = Cur->getDeclContext();
    Cur = DC ? dyn_cast<Decl>(DC) : nullptr;
    if (Cur && isa<TranslationUnitDecl>(Cur))
      break;
  }
  std::string Name;
  for (llvm::StringRef P : llvm::reverse(Parts)) {
    if (!Name.empty())
      Name += "::";
    Name += P;
  }
  NameCache[D] = Name;
  return Name;
}

const NamedDecl *ApiIndex::typeDecl(QualType T) const {
  if (T.isNull())
    return nullptr;
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  T = T.getCanonicalType();
  const Type *Ty = T.getTypePtr();
  if (const auto *RT = dyn_cast<RecordType>(Ty))
    return RT->getDecl();
  if (const auto *TST = dyn_cast<TemplateSpecializationType>(Ty))
    return TST->getTemplateName().getAsTemplateDecl();
  if (const auto *ICN = dyn_cast<InjectedClassNameType>(Ty))
    return ICN->getDecl();
  return nullptr;
}

ApiIndex::ApiIndex(ModelSet M) : Models(std::move(M)) {
  for (const auto &Model : Models.models())
    add(*Model);
}

void ApiIndex::add(const ApiModel &M) {
  for (const std::string &N : M.LibraryNamespaces)
    LibraryNamespaces[N] = &M;
  auto Entry = [&](const std::string &Type, TypeRole Role) -> TypeEntry & {
    TypeEntry &E = Types[Type];
    E = TypeEntry();
    E.Role = Role;
    E.Model = &M;
    return E;
  };
  for (const ChannelTypeModel &C : M.Channels) {
    Entry(C.QualifiedName, TypeRole::Channel).Channel = &C;
    for (const ClosedBehaviour &B : C.OnClosedCalls)
      if (B.Does.What == OnClosed::Kind::Throws &&
          (contains(C.Send, B.Method) || contains(C.TrySend, B.Method)))
        for (const std::string &X : B.Does.Exceptions)
          ClosedSendErrors.insert(X);
  }
  for (const WaitGroupModel &W : M.WaitGroups)
    Entry(W.Type, TypeRole::WaitGroup).WaitGroup = &W;
  for (const GroupModel &G : M.Groups)
    Entry(G.Type, TypeRole::Group).Group = &G;
  for (const OnceModel &O : M.Onces)
    Entry(O.Type, TypeRole::Once).Once = &O;
  for (const DeferModel &D : M.Defers)
    Entry(D.Type, TypeRole::Defer);
  for (const TimerModel &T : M.Tickers)
    Entry(T.Type, TypeRole::Ticker).Timer = &T;
  for (const TimerModel &T : M.Timers)
    Entry(T.Type, TypeRole::Timer).Timer = &T;
  for (const ContextModel &C : M.Contexts) {
    Entry(C.Type, TypeRole::Context).Context = &C;
    if (!C.CancelFuncType.empty())
      Entry(C.CancelFuncType, TypeRole::CancelFunc).Context = &C;
  }
  for (const ThreadModel &T : M.Threads)
    Entry(T.Type, TypeRole::Thread).Thread = &T;
  for (const FutureModel &F : M.Futures)
    Entry(F.Type, TypeRole::Future).Future = &F;

  auto Functions = [&](const Names &Ns, FunctionRole Role) {
    for (const std::string &N : Ns)
      addFunction(N, Role, M);
  };
  for (const MakeChannelModel &F : M.MakeChannels) {
    addFunction(F.Function, FunctionRole::MakeChannel, M);
    MakeChannels[F.Function] = &F;
  }
  for (const SelectModel &S : M.Selects) {
    addFunction(S.Function, FunctionRole::Select, M);
    for (auto [N, Role] : {std::pair{&S.RecvCase, FunctionRole::RecvCase},
                           {&S.SendCase, FunctionRole::SendCase},
                           {&S.DefaultCase, FunctionRole::DefaultCase}})
      if (!N->empty())
        addFunction(*N, Role, M);
  }
  for (const TimerModel &T : M.Tickers)
    Functions(T.New, FunctionRole::NewTicker);
  for (const TimerModel &T : M.Timers)
    Functions(T.New, FunctionRole::NewTimer);
  for (const auto *List : {&M.Tickers, &M.Timers})
    for (const TimerModel &T : *List)
      Functions(T.After, FunctionRole::After);
  for (const ContextModel &C : M.Contexts) {
    Functions(C.Background, FunctionRole::Background);
    Functions(C.WithCancel, FunctionRole::WithCancel);
  }

  for (const SpawnerModel &S : M.Spawners) {
    (S.Kind == SpawnerModel::Form::Constructor ? ConstructorSpawners
                                               : CallSpawners)[S.QualifiedName] = &S;
    if (S.Kind == SpawnerModel::Form::FreeFunction)
      FunctionModels[S.QualifiedName] = &M;
  }

  addSupport(M);
  addValueFunctions(M);
  for (auto [From, Into] : {std::pair{&M.Sync.BlockingFunctions, &BlockingFunctions},
                            {&M.SignalElementTypes, &SignalElements},
                            {&M.ErrorValueTokens, &ErrorValueTokens},
                            {&M.OpaqueCallables, &OpaqueCallables}})
    for (const std::string &N : *From)
      Into->insert(N);
}

void ApiIndex::addFunction(const std::string &Name, FunctionRole Role,
                           const ApiModel &M) {
  Functions[Name] = Role;
  FunctionModels[Name] = &M;
}

const ApiIndex::TypeEntry *ApiIndex::entryOf(QualType T) const {
  if (T.isNull())
    return nullptr;
  const Type *Key = T.getCanonicalType().getTypePtr();
  auto It = EntryCache.find(Key);
  if (It != EntryCache.end())
    return It->second;
  const TypeEntry *E = nullptr;
  if (const NamedDecl *D = typeDecl(T)) {
    auto Found = Types.find(qualifiedName(D));
    if (Found != Types.end())
      E = &Found->second;
  }
  EntryCache[Key] = E;
  return E;
}

TypeRole ApiIndex::roleOf(QualType T) const {
  const TypeEntry *E = entryOf(T);
  return E ? E->Role : TypeRole::None;
}

const ChannelTypeModel *ApiIndex::channelModel(QualType T) const {
  const TypeEntry *E = entryOf(T);
  return E ? E->Channel : nullptr;
}

const ApiModel *ApiIndex::modelOf(QualType T) const {
  const TypeEntry *E = entryOf(T);
  return E ? E->Model : nullptr;
}

namespace {

/// The type of the object a member call is made on, before the conversion
/// to the base class that declares the method.
QualType objectTypeOf(const CXXMemberCallExpr *Call) {
  const Expr *Object = Call->getImplicitObjectArgument();
  if (!Object)
    return {};
  QualType T = Object->IgnoreParenImpCasts()->getType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  return T;
}

} // namespace

const OnClosed *ApiIndex::onClosed(const Stmt *Call) const {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier())
    return nullptr;
  // The object's type, not the method's class: a method may be inherited.
  const ChannelTypeModel *C = channelModel(objectTypeOf(MC));
  return C ? C->onClosed(M->getName().str()) : nullptr;
}

bool ApiIndex::isInterruptionPoint(const Stmt *Call) const {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(Call);
  const CXXMethodDecl *M = MC ? MC->getMethodDecl() : nullptr;
  if (!M || !M->getIdentifier())
    return false;
  // The object's type, as for onClosed: the method may be inherited.
  const ChannelTypeModel *C = channelModel(objectTypeOf(MC));
  return C && contains(C->Interruptible, M->getName());
}

const TimerModel *ApiIndex::timerModel(QualType T) const {
  const TypeEntry *E = entryOf(T);
  return E ? E->Timer : nullptr;
}

std::string ApiIndex::deferFix(QualType T, llvm::StringRef Guard,
                               llvm::StringRef Action) const {
  const ApiModel *M = modelOf(T);
  if (!M)
    return "";
  for (const DeferModel &D : M->Defers)
    if (!D.Fix.empty())
      return fillTemplate(D.Fix, {{"guard", Guard.str()}, {"action", Action.str()}});
  return "";
}

QualType ApiIndex::channelElementType(QualType T) const {
  const ChannelTypeModel *C = channelModel(T);
  if (!C)
    return {};
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  T = T.getCanonicalType();
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          T->getAsCXXRecordDecl())) {
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if (C->ElementArg >= Args.size())
      return {};
    const TemplateArgument &Arg = Args[C->ElementArg];
    // A pack (Asio's Signatures...): its first element.
    const TemplateArgument &Elem =
        Arg.getKind() == TemplateArgument::Pack && Arg.pack_size() > 0
            ? Arg.pack_elements().front()
            : Arg;
    if (Elem.getKind() != TemplateArgument::Type)
      return {};
    if (!C->ElementSignatureParam)
      return Elem.getAsType();
    const auto *Sig = Elem.getAsType()->getAs<FunctionProtoType>();
    if (Sig && *C->ElementSignatureParam < Sig->getNumParams())
      return Sig->getParamType(*C->ElementSignatureParam);
  }
  return {};
}

std::string ApiIndex::tokenName(QualType T) const {
  const NamedDecl *D = typeDecl(T);
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(D))
    D = Spec->getSpecializedTemplate();
  return D ? qualifiedName(D) : std::string();
}

bool ApiIndex::isErrorValueToken(QualType T) const {
  std::string Name = tokenName(T);
  return !Name.empty() && ErrorValueTokens.contains(Name);
}

bool ApiIndex::isAwaitedToken(const SpawnerModel &S, QualType T) const {
  if (S.AwaitedTokens.empty())
    return false;
  std::string Name = tokenName(T);
  return !Name.empty() && llvm::is_contained(S.AwaitedTokens, Name);
}

bool ApiIndex::isContainerOfHandles(QualType T) const {
  const NamedDecl *D = typeDecl(T);
  const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(D);
  if (!Spec || !isLibraryDecl(Spec) || roleOf(T) != TypeRole::None)
    return false;
  for (const TemplateArgument &A : Spec->getTemplateArgs().asArray())
    if (A.getKind() == TemplateArgument::Type &&
        (roleOf(A.getAsType()) != TypeRole::None || holdsHandles(A.getAsType())))
      return true;
  return false;
}

bool ApiIndex::holdsHandles(QualType T) const {
  if (T.isNull())
    return false;
  const Type *Key = T.getCanonicalType().getTypePtr();
  auto It = HoldsCache.find(Key);
  if (It != HoldsCache.end())
    return It->second;
  HoldsCache[Key] = false; // breaks cycles through pointers to self
  bool Holds = false;
  const NamedDecl *D = typeDecl(T);
  const auto *RD = dyn_cast_or_null<CXXRecordDecl>(D);
  if (RD && RD->hasDefinition() && !isLibraryDecl(RD) && !RD->isLambda()) {
    for (const FieldDecl *F : RD->getDefinition()->fields()) {
      QualType FT = F->getType();
      if (roleOf(FT) != TypeRole::None || isContainerOfHandles(FT) ||
          holdsHandles(FT)) {
        Holds = true;
        break;
      }
    }
  }
  HoldsCache[Key] = Holds;
  return Holds;
}

bool ApiIndex::isSignalChannel(const Expr *ChannelExpr) const {
  if (!ChannelExpr)
    return false;
  const Expr *E = ChannelExpr->IgnoreParenImpCasts();
  if (const auto *MT = dyn_cast<MaterializeTemporaryExpr>(E))
    E = MT->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *BT = dyn_cast<CXXBindTemporaryExpr>(E))
    E = BT->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *Call = dyn_cast<CallExpr>(E))
    if (roleOf(Call->getDirectCallee()) == FunctionRole::After)
      return true;
  QualType Elem = channelElementType(ChannelExpr->getType());
  if (Elem.isNull())
    return false;
  if (const auto *RD = Elem->getAsCXXRecordDecl()) {
    if (RD->hasDefinition() && RD->isEmpty())
      return true;
    return SignalElements.contains(qualifiedName(RD));
  }
  return false;
}

const Expr *ApiIndex::contextOfDone(const Expr *ChannelExpr) const {
  const auto *MC = dyn_cast_or_null<CXXMemberCallExpr>(
      ChannelExpr ? ChannelExpr->IgnoreUnlessSpelledInSource()->IgnoreParenImpCasts()
                  : nullptr);
  if (!MC || roleOf(MC->getMethodDecl()) != MethodRole::ContextDone)
    return nullptr;
  return MC->getImplicitObjectArgument();
}

std::optional<ApiIndex::LiveContextError>
ApiIndex::liveContextError(QualType Context) const {
  const TypeEntry *E = entryOf(Context);
  if (!E || E->Role != TypeRole::Context)
    return std::nullopt;
  const auto *RD = dyn_cast_or_null<CXXRecordDecl>(typeDecl(Context));
  if (!RD || !RD->hasDefinition())
    return std::nullopt;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (!M->getIdentifier() || !contains(E->Context->ErrorMethods, M->getName()))
      continue;
    const auto *ET = M->getReturnType()->getAs<EnumType>();
    if (!ET)
      continue;
    for (const EnumConstantDecl *EC : ET->getDecl()->enumerators())
      if (EC->getName() == E->Context->LiveError)
        return LiveContextError{M->getName().str(), EC->getInitVal().getExtValue()};
  }
  return std::nullopt;
}

MethodRole ApiIndex::roleOfMember(QualType BaseType, llvm::StringRef N) const {
  const TypeEntry *E = entryOf(BaseType);
  if (!E)
    return MethodRole::None;
  switch (E->Role) {
  case TypeRole::Channel: {
    const ChannelTypeModel &C = *E->Channel;
    for (auto [Methods, Role] : {std::pair{&C.Send, MethodRole::Send},
                                 {&C.TrySend, MethodRole::TrySend},
                                 {&C.Recv, MethodRole::Recv},
                                 {&C.TryRecv, MethodRole::TryRecv},
                                 {&C.Close, MethodRole::Close},
                                 {&C.Cancel, MethodRole::Cancel},
                                 {&C.View, MethodRole::View},
                                 {&C.Len, MethodRole::Len}})
      if (contains(*Methods, N))
        return Role;
    return MethodRole::None;
  }
  case TypeRole::WaitGroup:
    if (contains(E->WaitGroup->Add, N))
      return MethodRole::WgAdd;
    if (contains(E->WaitGroup->Done, N))
      return MethodRole::WgDone;
    if (contains(E->WaitGroup->Wait, N))
      return MethodRole::WgWait;
    return MethodRole::None;
  case TypeRole::Group:
    if (contains(E->Group->Wait, N))
      return MethodRole::GroupWait;
    if (contains(E->Group->Context, N))
      return MethodRole::GroupContext;
    if (contains(E->Group->Interrupt, N))
      return MethodRole::Interrupt;
    return MethodRole::None;
  case TypeRole::Once:
    return contains(E->Once->Call, N) ? MethodRole::OnceCall : MethodRole::None;
  case TypeRole::Ticker:
  case TypeRole::Timer:
    if (contains(E->Timer->Stop, N))
      return MethodRole::TimerStop;
    if (contains(E->Timer->Channel, N))
      return MethodRole::TimerChannel;
    if (contains(E->Timer->Reset, N))
      return MethodRole::TimerReset;
    if (contains(E->Timer->AsyncWait, N))
      return MethodRole::TimerAsyncWait;
    return MethodRole::None;
  case TypeRole::Context:
    return contains(E->Context->Done, N) ? MethodRole::ContextDone : MethodRole::None;
  case TypeRole::Thread:
    if (contains(E->Thread->Join, N))
      return MethodRole::ThreadJoin;
    if (contains(E->Thread->Detach, N))
      return MethodRole::ThreadDetach;
    if (contains(E->Thread->Joinable, N))
      return MethodRole::ThreadJoinable;
    if (contains(E->Thread->Interrupt, N))
      return MethodRole::Interrupt;
    return MethodRole::None;
  case TypeRole::Future:
    return contains(E->Future->Wait, N) ? MethodRole::FutureWait : MethodRole::None;
  default:
    return MethodRole::None;
  }
}

MethodRole ApiIndex::roleOf(const CXXMethodDecl *M) const {
  if (!M)
    return MethodRole::None;
  const CXXRecordDecl *RD = M->getParent();
  QualType ClassType(RD->getTypeForDecl(), 0);
  // Conversions between directional views keep the channel.
  if (isa<CXXConversionDecl>(M)) {
    if (roleOf(ClassType) == TypeRole::Channel &&
        roleOf(M->getReturnType()) == TypeRole::Channel)
      return MethodRole::View;
    return MethodRole::None;
  }
  if (!M->getIdentifier())
    return MethodRole::None;
  return roleOfMember(ClassType, M->getName());
}

MethodRole ApiIndex::roleOfCall(const CXXMemberCallExpr *Call) const {
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  MethodRole Role = roleOf(M);
  if (Role != MethodRole::None || !M || !M->getIdentifier() ||
      isa<CXXConversionDecl>(M))
    return Role;
  const CXXRecordDecl *Declaring = M->getParent();
  if (entryOf(QualType(Declaring->getTypeForDecl(), 0)))
    return Role; // the modelled type's own method, with no role
  QualType Object = objectTypeOf(Call);
  const auto *RD = Object.isNull() ? nullptr : Object->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition() || !RD->isDerivedFrom(Declaring))
    return Role;
  return roleOfMember(Object, M->getName());
}

FunctionRole ApiIndex::roleOf(const FunctionDecl *F) const {
  if (!F || isa<CXXMethodDecl>(F) || !F->getIdentifier())
    return FunctionRole::None;
  if (const FunctionTemplateDecl *Primary = F->getPrimaryTemplate())
    F = Primary->getTemplatedDecl();
  auto It = Functions.find(qualifiedName(F));
  return It == Functions.end() ? FunctionRole::None : It->second;
}

const Expr *ApiIndex::capacityArgument(const Expr *Creation) const {
  std::optional<unsigned> Index;
  llvm::ArrayRef<const Expr *> Args;
  if (const auto *CE = dyn_cast<CXXConstructExpr>(Creation)) {
    if (const ChannelTypeModel *C = channelModel(CE->getType()))
      Index = C->CapacityArg;
    Args = llvm::ArrayRef(CE->getArgs(), CE->getNumArgs());
  } else if (const auto *Call = dyn_cast<CallExpr>(Creation)) {
    const FunctionDecl *F = Call->getDirectCallee();
    if (F && roleOf(F) == FunctionRole::MakeChannel) {
      if (const FunctionTemplateDecl *Primary = F->getPrimaryTemplate())
        F = Primary->getTemplatedDecl();
      Index = MakeChannels.lookup(qualifiedName(F))->CapacityArg;
    }
    Args = llvm::ArrayRef(Call->getArgs(), Call->getNumArgs());
  }
  if (!Index || *Index >= Args.size() || isa<CXXDefaultArgExpr>(Args[*Index]))
    return nullptr;
  return Args[*Index];
}

const SpawnerModel *ApiIndex::spawnerFor(const FunctionDecl *Callee) const {
  if (!Callee)
    return nullptr;
  if (const FunctionTemplateDecl *Primary = Callee->getPrimaryTemplate())
    Callee = Primary->getTemplatedDecl();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee))
    if (const auto *Pattern = MD->getInstantiatedFromMemberFunction())
      Callee = Pattern;
  auto It = CallSpawners.find(qualifiedName(Callee));
  return It == CallSpawners.end() ? nullptr : It->second;
}

const SpawnerModel *ApiIndex::spawnerForConstruction(QualType T) const {
  const NamedDecl *D = typeDecl(T);
  if (!D)
    return nullptr;
  auto It = ConstructorSpawners.find(qualifiedName(D));
  return It == ConstructorSpawners.end() ? nullptr : It->second;
}

bool ApiIndex::isLibraryDecl(const Decl *D) const {
  bool Library = false;
  libraryModelOf(D, Library);
  return Library;
}

bool ApiIndex::isModelledApi(const Decl *D) const {
  bool Library = false;
  const ApiModel *M = D ? libraryModelOf(D, Library) : nullptr;
  return M && !M->KeepsArguments;
}

const ApiModel *ApiIndex::libraryModelOf(const Decl *D, bool &Library) const {
  auto Cached = LibraryCache.find(D);
  if (Cached != LibraryCache.end()) {
    Library = Cached->second.first;
    return Cached->second.second;
  }
  const ApiModel *Model = nullptr;
  const NamespaceDecl *Outermost = nullptr;
  for (const DeclContext *DC = isa<NamespaceDecl>(D) ? cast<DeclContext>(D)
                                                     : D->getDeclContext();
       DC && !Model; DC = DC->getParent()) {
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Outermost = NS;
      Model = LibraryNamespaces.lookup(qualifiedName(NS));
    }
  }
  if (!Model)
    Model = modelledRecordOf(D);
  // Implementation namespaces of the standard library.
  Library = Model || (Outermost && Outermost->getName().starts_with("__"));
  LibraryCache[D] = {Library, Model};
  return Model;
}

const ApiModel *ApiIndex::modelledRecordOf(const Decl *D) const {
  if (const auto *F = dyn_cast<FunctionDecl>(D); F && F->getIdentifier() &&
                                                 !isa<CXXMethodDecl>(F)) {
    if (const FunctionTemplateDecl *Primary = F->getPrimaryTemplate())
      F = Primary->getTemplatedDecl();
    if (const ApiModel *M = FunctionModels.lookup(qualifiedName(F)))
      return M;
  }
  for (const DeclContext *DC = isa<CXXRecordDecl>(D) ? cast<DeclContext>(D)
                                                     : D->getDeclContext();
       DC; DC = DC->getParent())
    if (const auto *RD = dyn_cast<CXXRecordDecl>(DC); RD && RD->getIdentifier()) {
      std::string Name = qualifiedName(RD);
      auto It = Types.find(Name);
      if (It != Types.end())
        return It->second.Model;
      auto Support = SupportTypes.find(Name);
      if (Support != SupportTypes.end())
        return Support->second.Model;
    }
  return nullptr;
}

bool ApiIndex::catchesClosedSend(const CXXRecordDecl *Caught) const {
  return Caught && ClosedSendErrors.contains(qualifiedName(Caught));
}

bool ApiIndex::isBlockingLibraryFunction(llvm::StringRef Name) const {
  return BlockingFunctions.contains(Name);
}

bool ApiIndex::callsOpaqueCallable(const CXXMethodDecl *Callee) const {
  if (!Callee || Callee->getOverloadedOperator() != OO_Call || OpaqueCallables.empty())
    return false;
  // A lambda's class has no name: its call operator is user code, followed.
  const CXXRecordDecl *RD = Callee->getParent();
  return RD->getIdentifier() && OpaqueCallables.contains(qualifiedName(RD));
}

bool ApiIndex::isBlockingLibraryCall(const FunctionDecl *F) const {
  bool Library = false;
  const ApiModel *M = F ? libraryModelOf(F, Library) : nullptr;
  return M && F->getIdentifier() && contains(M->Sync.BlockingFunctions, F->getName());
}

} // namespace chanlint
