// Which tasks may be running at each operation: a forward may-dataflow over
// every frame, run by the dataflow engine (engine/Dataflow.h) with callees,
// select callbacks and deferred callables run in place, also where a throw
// leaves their scope; where a spawn adds the task and WaitGroup::wait,
// Group::wait, join, future waits and receiving a task's completion signal
// remove the tasks they cover. From these views follows "may happen in
// parallel" between two operations of different parties.
#pragma once

#include "ProgramModel.h"

#include "llvm/ADT/BitVector.h"

#include <vector>

namespace chanlint {

class Concurrency {
public:
  explicit Concurrency(ProgramModel &M);

  /// Tasks that may be running, as the party executing the op sees it,
  /// just before the op.
  const llvm::BitVector &view(FrameId F, OpLocation L) const;
  const llvm::BitVector &view(const Event &E) const {
    return view(E.Frame, E.Loc);
  }
  /// May operation A (in its party) run at the same time as operation B?
  bool mayHappenInParallel(const Event &A, const Event &B) const;
  bool mayHappenInParallel(PartyId PA, FrameId FA, OpLocation LA, PartyId PB,
                           FrameId FB, OpLocation LB) const;
  /// Frames whose dataflow hit the engine's work bound (their views are
  /// what was known when it stopped).
  unsigned framesOverBound() const { return FramesOverBound; }

private:
  friend class TaskViews;
  llvm::BitVector runFrame(FrameId F, const llvm::BitVector &In);
  llvm::BitVector transfer(FrameId F, OpLocation L, const Op &O,
                           llvm::BitVector Cur);
  void endTasks(llvm::BitVector &Cur, ObjectId Obj, bool ByHandle,
                bool ByGroup, bool BySignal);
  llvm::BitVector initialView(const Party &Task) const;
  llvm::BitVector entryView(const Party &Entry) const;
  PartyId entryOf(PartyId P) const;

  ProgramModel &M;
  unsigned N;
  std::vector<std::vector<std::vector<llvm::BitVector>>> Views;
  std::vector<llvm::BitVector> FrameEntry, FrameExit;
  std::vector<bool> FrameDone;
  llvm::BitVector Empty;
  unsigned FramesOverBound = 0;
};

} // namespace chanlint
