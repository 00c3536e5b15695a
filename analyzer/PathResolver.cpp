// Expression -> access path, evaluated in a frame of the program model.
#include "PathResolver.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace chanlint {

namespace {

/// A standard-style iterator: a class with an iterator_category.
bool isIterator(QualType T) {
  const auto *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  if (!RD || !RD->hasDefinition())
    return false;
  return !RD->lookup(&RD->getASTContext().Idents.get("iterator_category")).empty();
}

} // namespace

namespace {

bool sameFunction(const Decl *A, const Decl *B) {
  return A && B && (A == B || A->getCanonicalDecl() == B->getCanonicalDecl());
}

} // namespace

FrameId PathResolver::ownerFrame(const ValueDecl *D, FrameId F) const {
  const DeclContext *DC = D->getDeclContext();
  const auto *Owner = dyn_cast_or_null<FunctionDecl>(DC);
  if (!Owner)
    return NoFrame;
  for (unsigned Steps = 0; F != NoFrame && Steps < 64; ++Steps) {
    const Frame &Fr = M.Frames[F];
    if (sameFunction(Fr.IR->function(), Owner))
      return F;
    F = Fr.LexicalParent;
  }
  return NoFrame;
}

AccessPath PathResolver::varPath(const ValueDecl *D, FrameId F) const {
  if (const auto *V = dyn_cast<VarDecl>(D))
    if (V->hasGlobalStorage())
      return AccessPath::of(PathRoot::global(V));
  return AccessPath::of(PathRoot::var(D, ownerFrame(D, F)));
}

AccessPath PathResolver::fresh(const Expr *E, FrameId F, const Expr *Capacity) {
  PathRoot Root = PathRoot::temp(E, F);
  if (F != NoFrame) {
    ChannelCreation C;
    C.Site = E;
    C.Capacity = Capacity;
    C.Frame = F;
    C.Party = M.Frames[F].Party;
    M.RawCreations.emplace_back(Root, C);
  }
  return AccessPath::of(Root);
}

AccessPath PathResolver::resolve(const Expr *E, FrameId F) {
  if (!E)
    return AccessPath::invalid();
  E = R.strip(E);
  const ApiIndex &Api = R.api();

  if (const auto *U = dyn_cast<UnaryOperator>(E)) {
    if (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref)
      return resolve(U->getSubExpr(), F);
    return AccessPath::invalid();
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const ValueDecl *D = DRE->getDecl();
    if (const auto *B = dyn_cast<BindingDecl>(D)) {
      if (const Expr *Binding = B->getBinding())
        return resolve(Binding, F);
      return AccessPath::invalid();
    }
    if (isa<VarDecl>(D))
      return varPath(D, F);
    return AccessPath::invalid();
  }
  if (isa<CXXThisExpr>(E))
    return F == NoFrame ? AccessPath::invalid() : M.Frames[F].This;
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!FD) {
      if (const auto *V = dyn_cast<VarDecl>(ME->getMemberDecl()))
        return varPath(V, F); // static data member
      return AccessPath::invalid();
    }
    return resolve(ME->getBase(), F).with(PathStep::field(FD));
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
    switch (OC->getOperator()) {
    case OO_Subscript:
      return resolve(OC->getArg(0), F).with(PathStep::element());
    case OO_Arrow:
    case OO_Star:
      // Through an iterator: one element of a container, whichever.
      if (isIterator(OC->getArg(0)->getType()))
        return resolve(OC->getArg(0), F).with(PathStep::element());
      return resolve(OC->getArg(0), F);
    default:
      break;
    }
  }
  if (const auto *Sub = dyn_cast<ArraySubscriptExpr>(E))
    return resolve(Sub->getBase(), F).with(PathStep::element());

  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (F != NoFrame) {
      auto It = M.CallFrames.find({F, Call});
      if (It != M.CallFrames.end())
        return AccessPath::of(PathRoot::returned(It->second));
    }
    const Expr *Object = nullptr;
    switch (R.memberRole(Call, &Object)) {
    case MethodRole::ContextDone:
      return resolve(Object, F).with(PathStep::contextDone());
    case MethodRole::TimerChannel:
      return resolve(Object, F).with(PathStep::timerChannel());
    case MethodRole::GroupContext:
      return resolve(Object, F).with(PathStep::groupContext());
    case MethodRole::View:
      return resolve(Object, F);
    default:
      break;
    }
    // The models' accessors: a smart pointer's get(), weak_ptr::lock() and
    // shared_from_this() are the object they point to, as `*p` is; a
    // container's front() is one of its elements, whichever.
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
        MC && MC->getImplicitObjectArgument()) {
      const Expr *Obj = MC->getImplicitObjectArgument();
      switch (Api.accessRoleOf(MC)) {
      case AccessRole::Object:
        return resolve(Obj, F);
      case AccessRole::Element:
        // The container itself, not the base class declaring the method.
        if (Api.isContainerOfHandles(Obj->IgnoreParenImpCasts()->getType()))
          return resolve(Obj, F).with(PathStep::element());
        break;
      default:
        break;
      }
    }
    const FunctionDecl *Callee = Call->getDirectCallee();
    switch (Api.roleOf(Callee)) {
    case FunctionRole::MakeChannel:
      return fresh(Call, F, Api.capacityArgument(Call));
    case FunctionRole::After:
    case FunctionRole::NewTicker:
    case FunctionRole::NewTimer:
      return fresh(Call, F, nullptr);
    default:
      break;
    }
    return AccessPath::invalid();
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    if (Api.roleOf(CE->getType()) == TypeRole::Channel) {
      return fresh(CE, F, Api.capacityArgument(CE));
    }
    if (Api.isTracked(CE->getType()))
      return AccessPath::of(PathRoot::temp(CE, F));
  }
  return AccessPath::invalid();
}

AccessPath ProgramModel::pathOf(const Expr *E, FrameId F) {
  // Resolution needs the recognizer of the frame's IR cache; frames carry
  // their IR, and every IR was built by the same recognizer.
  return PathResolver(*this, *ResolverRecognizer).resolve(E, F);
}

AccessPath ProgramModel::varPath(const ValueDecl *D, FrameId F) {
  return PathResolver(*this, *ResolverRecognizer).varPath(D, F);
}

ObjectId ProgramModel::objectOf(const Expr *E, FrameId F) {
  return Aliases.object(pathOf(E, F));
}

} // namespace chanlint
