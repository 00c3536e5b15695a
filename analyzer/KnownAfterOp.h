// What holds in a frame once one of its ops has returned, given that an
// event happened below that op: in the callback of a select's case (the
// select returned that case; a case on ctx.done() leaves ctx.err() set), in
// a helper or callback that stores constants into outer variables on every
// path after the event (`running = false;`), or in a frame that cannot
// return normally after the event (the op is left by a throw). The engine's
// order questions take these facts to prune the paths they contradict.
#pragma once

#include "ProgramModel.h"
#include "engine/KnownValues.h"

#include "llvm/ADT/ArrayRef.h"

namespace chanlint {

/// A frame and the op of it through which the next frame (or the event)
/// runs.
using FrameStep = std::pair<FrameId, OpLocation>;

/// What is known in frame Top just after its op At returns. Below: the
/// frames At runs, from the one At invokes down to the event's frame, each
/// with its op on the way (the event's op last); empty when the event is
/// At itself. EventCase: the select case of the event when it is At itself
/// (-1 otherwise).
engine::KnownAfter knownAfterOp(const ProgramModel &M, FrameId Top,
                                OpLocation At, llvm::ArrayRef<FrameStep> Below,
                                int EventCase);

/// What is known in a function just after its select op returned case
/// Case, from the select alone (no event below it): the select's result, a
/// cancelled context for a case on `ctx.done()`, and the constants the
/// case's callback (its body Callback, if it has one) leaves on every path.
engine::KnownAfter knownAfterCase(const Op &Select, unsigned Case,
                                  const FunctionIR *Callback, const ApiIndex &Api);

} // namespace chanlint
