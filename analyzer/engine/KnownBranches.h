// Which normal edges leave a block on a path where some values are known
// (KnownValues): a condition the known values decide takes one edge, a
// `switch` on a known value enters the matching label. Shared by the
// engine's path searches (OrderFacts, ScopedObligations).
#pragma once

#include "FlowGraph.h"
#include "KnownValues.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace chanlint::engine {

/// Calls Take for every normal edge out of Block that the state allows.
void forEachAllowedEdge(const FlowGraph &G, const KnownValues &Known,
                        const KnownState &M, unsigned Block,
                        llvm::function_ref<void(const FlowEdge &)> Take);

} // namespace chanlint::engine
