// ApiIndex's answers about the library functions that hand on what they are
// given (a model's value_functions): std::move and std::forward return their
// argument, std::ref and boost::ref wrap it, std::swap and std::exchange
// trade it; Asio's bind_executor(ex, h) wraps its argument 1 (with an
// executor attached); std::make_pair and std::bind pack theirs into what
// they return. The analysis sees through moves and wraps, takes a guard
// handed to a move or an exchange as given away, and finds a callable stored
// through a pack; which functions these are is data, so a library's own
// (boost::ref) is one model entry.
#include "ApiIndex.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Expr.h"

using namespace clang;

namespace chanlint {

void ApiIndex::addValueFunctions(const ApiModel &M) {
  const ValueFunctionModel &V = M.ValueFunctions;
  for (auto [Names, Role] : {std::pair{&V.Moves, ValueRole::Move},
                             {&V.Wraps, ValueRole::Wrap},
                             {&V.Exchanges, ValueRole::Exchange},
                             {&V.Packs, ValueRole::Pack}})
    for (const std::string &N : *Names)
      ValueFunctions[N] = {Role, std::nullopt}; // a later model's word wins
  for (const ValueFunctionModel::WrappedArgument &W : V.WrapsArgument)
    ValueFunctions[W.Function] = {ValueRole::Wrap, W.Argument};
}

ApiIndex::ValueFunction ApiIndex::valueFunctionOf(const FunctionDecl *F) const {
  if (!F || ValueFunctions.empty())
    return {};
  // Asked for nearly every call the recognizer strips: remember the answer.
  auto [It, Inserted] = ValueRoleCache.try_emplace(F);
  if (!Inserted)
    return It->second;
  const FunctionDecl *Named = F;
  if (const FunctionTemplateDecl *Primary = F->getPrimaryTemplate())
    Named = Primary->getTemplatedDecl();
  if (Named->getIdentifier() && !isa<CXXMethodDecl>(Named)) {
    auto Found = ValueFunctions.find(qualifiedName(Named));
    if (Found != ValueFunctions.end())
      It->second = Found->second;
  }
  return It->second;
}

ValueRole ApiIndex::valueRoleOf(const FunctionDecl *F) const {
  return valueFunctionOf(F).Role;
}

const Expr *ApiIndex::passedThrough(const CallExpr *Call) const {
  if (!Call)
    return nullptr;
  ValueFunction V = valueFunctionOf(Call->getDirectCallee());
  if (V.Role != ValueRole::Move && V.Role != ValueRole::Wrap)
    return nullptr;
  // bind_executor(ex, h) also has a defaulted constraint argument after h.
  if (V.Argument)
    return *V.Argument < Call->getNumArgs() ? Call->getArg(*V.Argument) : nullptr;
  return Call->getNumArgs() == 1 ? Call->getArg(0) : nullptr;
}

const Expr *ApiIndex::movedArgument(const CallExpr *Call) const {
  return Call && Call->getNumArgs() == 1 &&
                 valueRoleOf(Call->getDirectCallee()) == ValueRole::Move
             ? Call->getArg(0)
             : nullptr;
}

} // namespace chanlint
