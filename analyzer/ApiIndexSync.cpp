// ApiIndex's answers about the types the analysis reasons with but does not
// track as handles: mutexes and lock guards (the lock analysis), atomics
// (flags and counters written by one party and tested by another),
// accessors (a smart pointer's get()) and containers (push_back puts a
// value in, front() takes one out, std::array's size is in its type). What
// each method does comes from the model that names the type, never from its
// spelling, so an in-house SpinLock, absl::Mutex or boost::container::vector
// is one data file away.
#include "ApiIndex.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang;

namespace chanlint {

void ApiIndex::addSupport(const ApiModel &M) {
  // A later model's word on a type replaces an earlier one's, whole: the
  // flags of one model's lists add up, another model's start afresh.
  auto SyncEntry = [&](const std::string &Type) -> SupportEntry & {
    SupportEntry &E = SupportTypes[Type];
    if (E.SyncFrom != &M) {
      E.Mutex = E.Guard = E.SharedGuard = E.DeferredTag = E.Atomic = false;
      E.SyncFrom = &M;
    }
    E.Model = &M;
    return E;
  };
  const SyncModel &S = M.Sync;
  for (const std::string &T : S.Mutexes)
    SyncEntry(T).Mutex = true;
  for (const std::string &T : S.LockGuards)
    SyncEntry(T).Guard = true;
  for (const std::string &T : S.SharedLockGuards)
    SyncEntry(T).SharedGuard = true;
  for (const std::string &T : S.DeferredLockTags)
    SyncEntry(T).DeferredTag = true;
  for (const std::string &T : S.Atomics)
    SyncEntry(T).Atomic = true;
  for (const AccessorModel &A : M.Accessors) {
    SupportEntry &E = SupportTypes[A.Type];
    E.Accessor = &A;
    E.Model = &M;
    for (const std::string &V : A.Empty)
      EmptyValues.insert(V);
  }
  for (const ContainerModel &C : M.Containers) {
    SupportEntry &E = SupportTypes[C.Type];
    E.Container = &C;
    E.Model = &M;
    for (const Names *L : {&C.Insert, &C.Emplace})
      for (const std::string &N : *L)
        InsertMethods.insert(N);
  }
}

const ApiIndex::SupportEntry *ApiIndex::supportEntryOf(QualType T) const {
  if (T.isNull() || SupportTypes.empty())
    return nullptr;
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->getIdentifier())
    return nullptr;
  auto It = SupportTypes.find(qualifiedName(RD));
  return It == SupportTypes.end() ? nullptr : &It->second;
}

const ApiIndex::SupportEntry *
ApiIndex::supportEntryOf(const CXXMemberCallExpr *Call) const {
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  if (!M)
    return nullptr;
  if (const SupportEntry *E = supportEntryOf(QualType(M->getParent()->getTypeForDecl(), 0)))
    return E;
  // The object before its conversion to the class declaring the method.
  const Expr *Object = Call->getImplicitObjectArgument();
  if (!Object)
    return nullptr;
  QualType T = Object->IgnoreParenImpCasts()->getType();
  if (const auto *PT = T->getAs<PointerType>())
    T = PT->getPointeeType();
  return supportEntryOf(T);
}

bool ApiIndex::isMutex(QualType T) const {
  const SupportEntry *E = supportEntryOf(T);
  return E && E->Mutex;
}

bool ApiIndex::isLockGuard(QualType T) const {
  const SupportEntry *E = supportEntryOf(T);
  return E && E->Guard;
}

bool ApiIndex::isExclusiveLockGuard(QualType T) const {
  const SupportEntry *E = supportEntryOf(T);
  return E && E->Guard && !E->SharedGuard;
}

bool ApiIndex::isDeferredLockTag(QualType T) const {
  const SupportEntry *E = supportEntryOf(T);
  return E && E->DeferredTag;
}

bool ApiIndex::isAtomic(QualType T) const {
  const SupportEntry *E = supportEntryOf(T);
  return E && E->Atomic;
}

namespace {

/// The method's name, or empty for an operator, a conversion, a destructor.
llvm::StringRef methodName(const CXXMemberCallExpr *Call) {
  const CXXMethodDecl *M = Call ? Call->getMethodDecl() : nullptr;
  return M && M->getIdentifier() ? M->getName() : llvm::StringRef();
}

} // namespace

LockRole ApiIndex::lockRoleOf(const CXXMemberCallExpr *Call) const {
  llvm::StringRef Name = methodName(Call);
  const SupportEntry *E = Name.empty() ? nullptr : supportEntryOf(Call);
  if (!E || !(E->Mutex || E->Guard))
    return LockRole::None;
  const SyncModel &S = E->SyncFrom->Sync;
  const LockMethods &L = E->Guard ? S.GuardMethods : S.MutexMethods;
  for (auto [Methods, Role] : {std::pair{&L.Lock, LockRole::Lock},
                               {&L.LockShared, LockRole::LockShared},
                               {&L.Unlock, LockRole::Unlock},
                               {&L.TryLock, LockRole::TryLock},
                               {&L.GiveAway, LockRole::GiveAway}})
    if (contains(*Methods, Name))
      // A shared guard takes its mutex shared, whatever the method's name.
      return Role == LockRole::Lock && E->SharedGuard ? LockRole::LockShared : Role;
  return LockRole::None;
}

AtomicCall ApiIndex::atomicCallOf(const CXXMemberCallExpr *Call) const {
  AtomicCall Out;
  const SupportEntry *E = supportEntryOf(Call);
  if (!E || !E->Atomic)
    return Out;
  // `if (flag)`, `int n = count`: the conversion to the value reads it.
  if (isa_and_nonnull<CXXConversionDecl>(Call->getMethodDecl())) {
    Out.What = AtomicCall::Kind::Load;
    return Out;
  }
  llvm::StringRef Name = methodName(Call);
  if (Name.empty())
    return Out;
  const AtomicMethods &A = E->SyncFrom->Sync.AtomicOps;
  if (contains(A.Load, Name))
    Out.What = AtomicCall::Kind::Load;
  else if (contains(A.Store, Name))
    Out.What = AtomicCall::Kind::Store;
  else if (contains(A.Update, Name))
    Out.What = AtomicCall::Kind::Update;
  Out.Claims = contains(A.Claim, Name);
  Out.CountsDown = contains(A.CountDown, Name);
  return Out;
}

AccessRole ApiIndex::accessRoleOf(const CXXMemberCallExpr *Call) const {
  llvm::StringRef Name = methodName(Call);
  const SupportEntry *E = Name.empty() ? nullptr : supportEntryOf(Call);
  if (!E)
    return AccessRole::None;
  if (E->Container && contains(E->Container->Element, Name))
    return AccessRole::Element;
  if (!E->Accessor)
    return AccessRole::None;
  if (contains(E->Accessor->Object, Name))
    return AccessRole::Object;
  if (contains(E->Accessor->Presence, Name))
    return AccessRole::Presence;
  return AccessRole::None;
}

bool ApiIndex::isIndexedElement(const CXXMemberCallExpr *Call) const {
  return Call && Call->getNumArgs() == 1 && accessRoleOf(Call) == AccessRole::Element;
}

InsertRole ApiIndex::insertRoleOf(const CXXMemberCallExpr *Call) const {
  // Asked of every member call: most are no container's, by name alone.
  llvm::StringRef Name = methodName(Call);
  const SupportEntry *E = InsertMethods.contains(Name) ? supportEntryOf(Call) : nullptr;
  if (!E || !E->Container)
    return InsertRole::None;
  if (contains(E->Container->Emplace, Name))
    return InsertRole::Emplace;
  if (contains(E->Container->Insert, Name))
    return InsertRole::Insert;
  return InsertRole::None;
}

std::optional<uint64_t> ApiIndex::fixedSize(QualType T) const {
  const SupportEntry *E = supportEntryOf(T);
  if (!E || !E->Container || !E->Container->SizeArgument)
    return std::nullopt;
  const auto *Spec = dyn_cast<ClassTemplateSpecializationDecl>(
      T.getNonReferenceType()->getAsCXXRecordDecl());
  unsigned At = *E->Container->SizeArgument;
  if (!Spec || At >= Spec->getTemplateArgs().size())
    return std::nullopt;
  const TemplateArgument &Size = Spec->getTemplateArgs()[At];
  if (Size.getKind() != TemplateArgument::Integral)
    return std::nullopt;
  return Size.getAsIntegral().getLimitedValue();
}

bool ApiIndex::isEmptyValue(const Expr *E) const {
  const auto *DRE = E ? dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()) : nullptr;
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return V && V->getIdentifier() && EmptyValues.contains(qualifiedName(V));
}

} // namespace chanlint
