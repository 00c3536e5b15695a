#include "SpawnerSpelling.h"

#include "SourceEdits.h"

#include "clang/AST/Expr.h"

using namespace clang;

namespace chanlint {

std::optional<Spelled> spellInSpawner(RuleContext &RC, const Expr *E,
                                      FrameId Where, FrameId SpawnFrame) {
  const Expr *S = E->IgnoreParenImpCasts();
  Spelled Out;
  Out.Text = sourceText(S, RC.Ctx);
  if (Out.Text.empty())
    return std::nullopt;
  const Expr *Root = S;
  while (const auto *ME = dyn_cast<MemberExpr>(Root)) {
    Root = ME->getBase()->IgnoreParenImpCasts();
  }
  if (isa<CXXThisExpr>(Root)) {
    Out.NeedsThis = true;
    if (!RC.Model.frame(SpawnFrame).This.Valid)
      return std::nullopt;
    return Out;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(Root);
  if (!DRE)
    return std::nullopt;
  const auto *V = dyn_cast<VarDecl>(DRE->getDecl());
  if (!V)
    return std::nullopt;
  if (V->hasGlobalStorage())
    return Out;
  // The variable must be the spawner's own (captured into the task).
  AccessPath P = RC.Model.varPath(V, Where);
  if (P.Root.Frame != SpawnFrame)
    return std::nullopt;
  return Out;
}

} // namespace chanlint
