// Which variable an event reaches its channel through, frame by frame up
// its party's chain, and whether a frame's run gives it a channel of its
// own. The order questions (EventOrder) use it to tell "the same channel
// again" from "a new channel under the same name": a channel declared in a
// loop body, or a local of a helper or lambda called in a loop, is a new
// object on every run; a channel declared outside the loop, a member, a
// parameter by reference, or a pointer or reference to an outer channel is
// the same object every time.
#pragma once

#include "KnownAfterOp.h"
#include "ProgramModel.h"
#include "engine/KnownValues.h"

#include "llvm/ADT/ArrayRef.h"

#include <vector>

namespace chanlint {

/// How an event reaches its channel in one frame of its chain.
struct HandleAtFrame {
  /// The variable the frame's code names for it: a local, a parameter, a
  /// member or a global (references and pointers bound once are seen
  /// through to what they name). Null when the trace does not reach here.
  const clang::ValueDecl *Name = nullptr;
  /// Every run of the op this frame runs the event through gives the event
  /// a channel made during that run: the name is a local of a frame below
  /// (or a parameter its call binds) whose every value is a new channel.
  /// Two events under different runs of the op are on different channels.
  bool NewEveryRun = false;
};

/// For each frame of Chain (the event's frames, the party's top first, each
/// with the op through which the next runs), how E reaches its channel
/// there.
std::vector<HandleAtFrame> traceHandle(const ProgramModel &M, const Event &E,
                                       llvm::ArrayRef<FrameStep> Chain);

/// Where, in Fn, the variable Handle gets a channel made after At ran (the
/// statement through which the earlier event runs there): its declaration
/// with a new channel (or a range-for's next element), an assignment of a
/// new channel, or of one moved or copied from a local declared after At
/// whose every value is new. A copy of a channel that exists already (an
/// outer handle, a reference) is the same channel: not a rebinding.
engine::KnownAfter::Rebinding rebindsAfter(const clang::ValueDecl *Handle,
                                           const clang::FunctionDecl *Fn,
                                           const clang::Stmt *At, const OpRecognizer &R);

} // namespace chanlint
