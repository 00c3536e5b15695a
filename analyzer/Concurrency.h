// Which tasks may be running at each operation: a forward may-dataflow over
// every frame's CFG (callees, select callbacks and deferred callables are
// run in place), where a spawn adds the task and WaitGroup::wait,
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

private:
  llvm::BitVector runFrame(FrameId F, const llvm::BitVector &In);
  llvm::BitVector edgeState(FrameId F, const clang::CFGBlock &From,
                            const clang::CFGBlock &To,
                            const llvm::BitVector &Out);
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
};

} // namespace chanlint
