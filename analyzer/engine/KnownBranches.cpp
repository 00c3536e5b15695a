#include "KnownBranches.h"

#include "clang/AST/Stmt.h"

namespace chanlint::engine {

namespace {

/// A switch on a known value enters the matching case label, or the
/// default (or the end) when no label matches.
void switchEdges(const FlowGraph &G, const KnownValues &Known, unsigned Block,
                 std::optional<int64_t> V,
                 llvm::function_ref<void(const FlowEdge &)> Take) {
  auto LabelOf = [&](unsigned To) -> const clang::CaseStmt * {
    const clang::CFGBlock *CB = G.cfgBlock(To);
    return CB ? llvm::dyn_cast_or_null<clang::CaseStmt>(CB->getLabel()) : nullptr;
  };
  auto Matches = [&](const clang::CaseStmt *CS) {
    return !CS->caseStmtIsGNURange() && Known.value(CS->getLHS(), KnownState()) == V;
  };
  bool Matched = false;
  if (V)
    for (const FlowEdge &E : G.succs(Block))
      if (const clang::CaseStmt *CS = LabelOf(E.To))
        Matched |= Matches(CS);
  for (const FlowEdge &E : G.succs(Block)) {
    const clang::CaseStmt *CS = LabelOf(E.To);
    if (V && CS && !Matches(CS))
      continue; // another case label
    if (V && Matched && !CS)
      continue; // the default or past the switch, while a label matched
    Take(E);
  }
}

} // namespace

void forEachAllowedEdge(const FlowGraph &G, const KnownValues &Known,
                        const KnownState &M, unsigned Block,
                        llvm::function_ref<void(const FlowEdge &)> Take) {
  const clang::CFGBlock *CB = G.cfgBlock(Block);
  const clang::Stmt *Term = CB ? CB->getTerminatorStmt() : nullptr;
  if (const auto *Sw = llvm::dyn_cast_or_null<clang::SwitchStmt>(Term)) {
    switchEdges(G, Known, Block, Known.factValue(Sw->getCond(), M), Take);
    return;
  }
  std::optional<bool> Value =
      CB ? Known.truth(llvm::dyn_cast_or_null<clang::Expr>(
                           CB->getTerminatorCondition()),
                       M)
         : std::nullopt;
  for (const FlowEdge &E : G.succs(Block))
    if (!Value || E.SuccIndex == (*Value ? 0u : 1u))
      Take(E);
}

} // namespace chanlint::engine
