// ApiIndex's answers about the library functions that hand on what they are
// given (a model's value_functions): std::move and std::forward return their
// argument, std::ref and boost::ref wrap it, std::swap and std::exchange
// trade it. The analysis sees through the first two kinds, and takes a
// guard handed to a move or an exchange as given away; which functions
// these are is data, so a library's own (boost::ref) is one model entry.
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
                             {&V.Exchanges, ValueRole::Exchange}})
    for (const std::string &N : *Names)
      ValueFunctions[N] = Role; // a later model's word wins
}

ValueRole ApiIndex::valueRoleOf(const FunctionDecl *F) const {
  if (!F || ValueFunctions.empty())
    return ValueRole::None;
  // Asked for nearly every call the recognizer strips: remember the answer.
  auto [It, Inserted] = ValueRoleCache.try_emplace(F, ValueRole::None);
  if (!Inserted)
    return It->second;
  const FunctionDecl *Named = F;
  if (const FunctionTemplateDecl *Primary = F->getPrimaryTemplate())
    Named = Primary->getTemplatedDecl();
  ValueRole Role = ValueRole::None;
  if (Named->getIdentifier() && !isa<CXXMethodDecl>(Named)) {
    auto Found = ValueFunctions.find(qualifiedName(Named));
    if (Found != ValueFunctions.end())
      Role = Found->second;
  }
  It->second = Role;
  return Role;
}

const Expr *ApiIndex::passedThrough(const CallExpr *Call) const {
  if (!Call || Call->getNumArgs() != 1)
    return nullptr;
  ValueRole Role = valueRoleOf(Call->getDirectCallee());
  return Role == ValueRole::Move || Role == ValueRole::Wrap ? Call->getArg(0) : nullptr;
}

} // namespace chanlint
