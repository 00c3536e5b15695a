// Effect summaries: what a function does to the handles it is given, its
// parameters and its object's members (sends on, receives from, closes,
// stops, lets escape), computed bottom-up over the TU with memoisation.
// Nested lambdas that the function runs, defers or spawns count as the
// function's own effects. Used where a call's effect matters but following
// the call is not needed (the ticker check, relevance).
#pragma once

#include "ProgramModel.h"

#include "llvm/ADT/DenseMap.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace chanlint {


enum Effect : uint8_t {
  Sends = 1,
  Receives = 2,
  Closes = 4,
  Stops = 8,
  Escapes = 16, ///< stored, returned, or passed where we cannot see
};

struct FunctionSummary {
  std::vector<uint8_t> Params; ///< per parameter
  llvm::DenseMap<const clang::FieldDecl *, uint8_t> Members;
  uint8_t param(unsigned I) const { return I < Params.size() ? Params[I] : 0; }
};

class EffectSummaries {
public:
  explicit EffectSummaries(IRCache &IRs) : IRs(IRs) {}
  /// The summary of a function with a body (empty when unknown).
  const FunctionSummary &of(const clang::FunctionDecl *F);

private:
  /// What local handles hold at an op (for effects through local copies),
  /// asked of the engine on first use.
  class LazyAliases;
  using LocalHandles = std::pair<LazyAliases *, OpLocation>;

  void summarize(const clang::FunctionDecl *Owner, const FunctionIR &IR,
                 FunctionSummary &S, unsigned Depth);
  void apply(const clang::FunctionDecl *Owner, const clang::Expr *E,
             uint8_t Bits, FunctionSummary &S,
             const LocalHandles *Locals = nullptr);

  IRCache &IRs;
  llvm::DenseMap<const clang::FunctionDecl *, FunctionSummary> Done;
  /// Functions being summarised, by their depth on that stack; what their
  /// recursive calls see meanwhile (node-based: references are handed out).
  llvm::DenseMap<const clang::FunctionDecl *, unsigned> Active;
  std::map<const clang::FunctionDecl *, FunctionSummary> Provisional;
  /// The shallowest active function a recursive call met (~0u: none).
  unsigned Lowest = ~0u;
  FunctionSummary Empty;
};

} // namespace chanlint
