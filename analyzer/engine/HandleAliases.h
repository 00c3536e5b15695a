// Which handle variables (channels, contexts, tickers, mutexes: the caller
// says which types) denote the same object at each op of a function body: a
// forward dataflow on the engine over locals, parameters and the members of
// `this`. A copy or a view (`auto b = a;`, `b = a`, `SendChan<int> s = a`)
// makes b denote what a denotes; a reassignment ends the alias; a move
// (`auto b = std::move(a)`) hands a's object to b and leaves a denoting
// nothing. Parameters and members hold their own objects at entry. Which
// argument or capture a parameter or captured variable is, across frames,
// is the program model's business (ProgramModel, PathResolver); this
// answers "is it still the same handle here", which a flow-insensitive
// alias set cannot.
#pragma once

#include "FlowGraph.h"

#include "../FunctionIR.h"

#include "clang/AST/Decl.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <map>
#include <set>
#include <utility>

namespace chanlint::engine {

class HandleAliases {
public:
  /// What one variable may denote: the variables whose initial objects
  /// (at their declaration, or at entry for parameters) it may hold.
  using Objects = std::set<const clang::ValueDecl *>;
  using State = std::map<const clang::ValueDecl *, Objects>;

  HandleAliases(const FunctionIR &IR,
                llvm::function_ref<bool(clang::QualType)> IsHandle);

  /// Just before op L: do A and B surely denote the same object?
  bool mustAlias(OpLocation L, const clang::ValueDecl *A,
                 const clang::ValueDecl *B) const;
  /// Just before op L: may A and B denote the same object?
  bool mayAlias(OpLocation L, const clang::ValueDecl *A,
                const clang::ValueDecl *B) const;
  /// What V may denote just before op L (V itself if it was never
  /// reassigned; empty once moved from or where L is unreachable).
  Objects objectsOf(OpLocation L, const clang::ValueDecl *V) const;

private:
  std::map<std::pair<unsigned, unsigned>, State> AtOp;
};

} // namespace chanlint::engine
