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

TypeRole ApiIndex::roleOfName(llvm::StringRef QN) const {
  for (const ChannelTypeModel &C : Model.ChannelTypes)
    if (C.QualifiedName == QN)
      return TypeRole::Channel;
  if (QN == Model.TickerType)
    return TypeRole::Ticker;
  if (QN == Model.TimerType)
    return TypeRole::Timer;
  if (QN == Model.WaitGroupType)
    return TypeRole::WaitGroup;
  if (QN == Model.GroupType)
    return TypeRole::Group;
  if (QN == Model.OnceType)
    return TypeRole::Once;
  if (QN == Model.DeferType)
    return TypeRole::Defer;
  if (QN == Model.ContextType)
    return TypeRole::Context;
  if (QN == Model.CancelFuncType)
    return TypeRole::CancelFunc;
  if (contains(Model.ThreadTypes, QN))
    return TypeRole::Thread;
  if (contains(Model.FutureTypes, QN))
    return TypeRole::Future;
  return TypeRole::None;
}

TypeRole ApiIndex::roleOf(QualType T) const {
  if (T.isNull())
    return TypeRole::None;
  const Type *Key = T.getCanonicalType().getTypePtr();
  auto It = RoleCache.find(Key);
  if (It != RoleCache.end())
    return It->second;
  TypeRole R = TypeRole::None;
  if (const NamedDecl *D = typeDecl(T))
    R = roleOfName(qualifiedName(D));
  RoleCache[Key] = R;
  return R;
}

const ChannelTypeModel *ApiIndex::channelModel(QualType T) const {
  const NamedDecl *D = typeDecl(T);
  if (!D)
    return nullptr;
  std::string QN = qualifiedName(D);
  for (const ChannelTypeModel &C : Model.ChannelTypes)
    if (C.QualifiedName == QN)
      return &C;
  return nullptr;
}

QualType ApiIndex::channelElementType(QualType T) const {
  if (!channelModel(T))
    return {};
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  T = T.getCanonicalType();
  if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
          T->getAsCXXRecordDecl())) {
    const TemplateArgumentList &Args = Spec->getTemplateArgs();
    if (Args.size() > 0 && Args[0].getKind() == TemplateArgument::Type)
      return Args[0].getAsType();
  }
  return {};
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
    return qualifiedName(RD) == "std::chrono::time_point";
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
  if (roleOf(Context) != TypeRole::Context)
    return std::nullopt;
  const auto *RD = dyn_cast_or_null<CXXRecordDecl>(typeDecl(Context));
  if (!RD || !RD->hasDefinition())
    return std::nullopt;
  for (const CXXMethodDecl *M : RD->methods()) {
    if (!M->getIdentifier() || !contains(Model.ContextErrorMethods, M->getName()))
      continue;
    const auto *ET = M->getReturnType()->getAs<EnumType>();
    if (!ET)
      continue;
    for (const EnumConstantDecl *EC : ET->getDecl()->enumerators())
      if (EC->getName() == Model.ContextLiveError)
        return LiveContextError{M->getName().str(), EC->getInitVal().getExtValue()};
  }
  return std::nullopt;
}

MethodRole ApiIndex::roleOfMember(QualType BaseType, llvm::StringRef N) const {
  switch (roleOf(BaseType)) {
  case TypeRole::Channel:
    if (contains(Model.SendMethods, N))
      return MethodRole::Send;
    if (contains(Model.TrySendMethods, N))
      return MethodRole::TrySend;
    if (contains(Model.RecvMethods, N))
      return MethodRole::Recv;
    if (contains(Model.TryRecvMethods, N))
      return MethodRole::TryRecv;
    if (contains(Model.CloseMethods, N))
      return MethodRole::Close;
    if (contains(Model.ViewMethods, N))
      return MethodRole::View;
    return MethodRole::None;
  case TypeRole::WaitGroup:
    if (contains(Model.WaitGroupAdd, N))
      return MethodRole::WgAdd;
    if (contains(Model.WaitGroupDone, N))
      return MethodRole::WgDone;
    if (contains(Model.WaitGroupWait, N))
      return MethodRole::WgWait;
    return MethodRole::None;
  case TypeRole::Group:
    if (contains(Model.GroupWait, N))
      return MethodRole::GroupWait;
    if (N == "context")
      return MethodRole::GroupContext;
    return MethodRole::None;
  case TypeRole::Once:
    return contains(Model.OnceCall, N) ? MethodRole::OnceCall : MethodRole::None;
  case TypeRole::Ticker:
  case TypeRole::Timer:
    if (contains(Model.TimerStopMethods, N))
      return MethodRole::TimerStop;
    if (contains(Model.TimerChannelMethods, N))
      return MethodRole::TimerChannel;
    if (N == "reset")
      return MethodRole::TimerReset;
    return MethodRole::None;
  case TypeRole::Context:
    return contains(Model.ContextDoneMethods, N) ? MethodRole::ContextDone
                                                 : MethodRole::None;
  case TypeRole::Thread:
    if (contains(Model.ThreadJoinMethods, N))
      return MethodRole::ThreadJoin;
    if (N == "detach")
      return MethodRole::ThreadDetach;
    return MethodRole::None;
  case TypeRole::Future:
    return contains(Model.FutureWaitMethods, N) ? MethodRole::FutureWait
                                                : MethodRole::None;
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

FunctionRole ApiIndex::roleOf(const FunctionDecl *F) const {
  if (!F || isa<CXXMethodDecl>(F) || !F->getIdentifier())
    return FunctionRole::None;
  if (const FunctionTemplateDecl *Primary = F->getPrimaryTemplate())
    F = Primary->getTemplatedDecl();
  std::string QN = qualifiedName(F);
  if (contains(Model.MakeChannelFunctions, QN))
    return FunctionRole::MakeChannel;
  if (QN == Model.SelectFunction)
    return FunctionRole::Select;
  if (QN == Model.RecvCaseFunction)
    return FunctionRole::RecvCase;
  if (QN == Model.SendCaseFunction)
    return FunctionRole::SendCase;
  if (QN == Model.DefaultCaseFunction)
    return FunctionRole::DefaultCase;
  if (contains(Model.NewTickerFunctions, QN))
    return FunctionRole::NewTicker;
  if (contains(Model.NewTimerFunctions, QN))
    return FunctionRole::NewTimer;
  if (contains(Model.AfterFunctions, QN))
    return FunctionRole::After;
  if (contains(Model.BackgroundFunctions, QN))
    return FunctionRole::Background;
  if (contains(Model.WithCancelFunctions, QN))
    return FunctionRole::WithCancel;
  return FunctionRole::None;
}

const SpawnerModel *ApiIndex::spawnerFor(const FunctionDecl *Callee) const {
  if (!Callee)
    return nullptr;
  if (const FunctionTemplateDecl *Primary = Callee->getPrimaryTemplate())
    Callee = Primary->getTemplatedDecl();
  if (const auto *MD = dyn_cast<CXXMethodDecl>(Callee))
    if (const auto *Pattern = MD->getInstantiatedFromMemberFunction())
      Callee = Pattern;
  std::string QN = qualifiedName(Callee);
  for (const SpawnerModel &S : Model.Spawners) {
    if (S.Kind == SpawnerModel::Form::Constructor)
      continue;
    if (S.QualifiedName == QN)
      return &S;
  }
  return nullptr;
}

const SpawnerModel *ApiIndex::spawnerForConstruction(QualType T) const {
  const NamedDecl *D = typeDecl(T);
  if (!D)
    return nullptr;
  std::string QN = qualifiedName(D);
  for (const SpawnerModel &S : Model.Spawners)
    if (S.Kind == SpawnerModel::Form::Constructor && S.QualifiedName == QN)
      return &S;
  return nullptr;
}

bool ApiIndex::isLibraryDecl(const Decl *D) const {
  const NamespaceDecl *Outermost = nullptr;
  for (const DeclContext *DC = D->getDeclContext(); DC; DC = DC->getParent())
    if (const auto *NS = dyn_cast<NamespaceDecl>(DC))
      if (!NS->isInline() && !NS->isAnonymousNamespace())
        Outermost = NS;
  if (const auto *NS = dyn_cast<NamespaceDecl>(D))
    Outermost = NS;
  if (!Outermost)
    return false;
  llvm::StringRef N = Outermost->getName();
  // Implementation namespaces of the standard library.
  if (N.starts_with("__"))
    return true;
  return contains(Model.LibraryNamespaces, N);
}

} // namespace chanlint
