#include "BlockingOps.h"

#include "SourceEdits.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace chanlint {

bool channelOpBlocks(const Op &O) {
  switch (O.Kind) {
  case OpKind::Send:
  case OpKind::Recv:
  case OpKind::RangeRecv:
  case OpKind::WgWait:
  case OpKind::GroupWait:
    return true;
  case OpKind::Select:
    return !O.HasDefault;
  default:
    return false;
  }
}

std::string describeBlockingOp(const Op &O, const ASTContext &Ctx) {
  std::string Name = O.Object ? channelName(O.Object, Ctx) : "";
  auto On = [&](const char *What) {
    return Name.empty() ? std::string(What) : std::string(What) + " '" + Name + "'";
  };
  switch (O.Kind) {
  case OpKind::Send:
    return On("send on");
  case OpKind::Recv:
    return On("receive from");
  case OpKind::RangeRecv:
    return On("range-for over");
  case OpKind::WgWait:
  case OpKind::GroupWait:
    return On("wait on");
  case OpKind::Select:
    return "select without a default case";
  default:
    return "blocking operation";
  }
}

namespace {

/// A mutex or a lock guard, or a pointer to one, as the models name them.
bool isLockType(const ApiIndex &Api, QualType T) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType();
  return Api.isMutex(T) || Api.isLockGuard(T);
}

} // namespace

namespace {

/// The first blocking channel op a callable performs, itself or through what
/// it runs in place: the functions it calls, its Defers and Once calls, the
/// callbacks of its selects.
const Op *blockingOpIn(IRCache &IRs, const Callable &C, unsigned Depth) {
  if (!C.valid() || Depth == 0)
    return nullptr;
  for (const Expr *Arg : C.Args)
    if (Arg && isLockType(IRs.recognizer().api(), Arg->getType()))
      return nullptr;
  // A body that touches no channel blocks on none: no IR needed.
  if (!IRs.touch().touches(C.Body))
    return nullptr;
  const FunctionIR *IR = IRs.get(C.Body);
  if (!IR)
    return nullptr;
  const Op *Found = nullptr;
  IR->forEachOp([&](const Op &O, OpLocation) {
    if (Found)
      return;
    if (channelOpBlocks(O)) {
      Found = &O;
      return;
    }
    switch (O.Kind) {
    case OpKind::Call:
    case OpKind::DeferRun:
    case OpKind::OnceCall:
      Found = blockingOpIn(IRs, O.Target, Depth - 1);
      break;
    case OpKind::Select:
      for (const SelectCase &Case : O.Cases)
        if (!Found)
          Found = blockingOpIn(IRs, Case.Callback, Depth - 1);
      break;
    default:
      break;
    }
  });
  return Found;
}

} // namespace

const Op *blockingOpInCallee(IRCache &IRs, const Op &Call, unsigned Depth) {
  if (Call.Kind != OpKind::Call)
    return nullptr;
  return blockingOpIn(IRs, Call.Target, Depth);
}

namespace {

bool inStd(const FunctionDecl *F) {
  const DeclContext *DC = F->getDeclContext();
  while (DC && !DC->isTranslationUnit()) {
    if (DC->isStdNamespace())
      return true;
    DC = DC->getParent();
  }
  return false;
}

} // namespace

bool statementMayBlock(const Stmt *S, const OpRecognizer &R) {
  const auto *Call = dyn_cast_or_null<CallExpr>(S);
  if (!Call)
    return false;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!Callee)
    return true; // through a pointer or std::function: anything
  if (Callee->getBuiltinID())
    return false;
  // std::function::operator(): whatever it holds, it may wait.
  if (R.api().callsOpaqueCallable(dyn_cast<CXXMethodDecl>(Callee)))
    return true;
  if (inStd(Callee)) {
    if (!Callee->getIdentifier())
      return false;
    return R.api().isBlockingLibraryFunction(Callee->getName());
  }
  if (R.api().isLibraryDecl(Callee))
    // A channel library's own calls are ops when they block; its other
    // waits (boost::this_fiber::sleep_for) are in its model.
    return R.api().isBlockingLibraryCall(Callee);
  if (R.isUserFunction(Callee))
    return R.definitionOf(Callee) == nullptr; // with a body: looked into
  if (Callee->getASTContext().getSourceManager().isInSystemHeader(
          Callee->getLocation())) {
    // The C library and the system: only the calls that wait, as the
    // standard library's model lists them with its own.
    if (!Callee->getIdentifier())
      return false;
    return R.api().isBlockingLibraryFunction(Callee->getName());
  }
  return !Callee->hasBody(); // declared elsewhere: anything
}

} // namespace chanlint
