// The program model of one root: which parties run, which frames (function
// bodies with bound parameters) each party executes, and every channel
// operation as an Event on a canonical channel object.
//
// A root is a free function, or a class (all its methods are entries that
// share `this`). Calls into user code are followed as child frames, so
// `produce(ch)` sends on the caller's `ch`; tasks started with a spawner are
// parties of their own with a multiplicity.
#pragma once

#include "AliasSets.h"
#include "ChannelTouch.h"
#include "FunctionIR.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace chanlint {

class IRCache;

using PartyId = unsigned;
constexpr PartyId NoParty = ~0u;

/// One execution of a function body inside a party.
struct Frame {
  FrameId Id = NoFrame;
  const FunctionIR *IR = nullptr;
  PartyId Party = NoParty;
  FrameId Parent = NoFrame;        ///< invoking frame (same party)
  FrameId LexicalParent = NoFrame; ///< where a lambda was created
  OpLocation InvokedAt;            ///< op in Parent that runs this frame
  AccessPath This;                 ///< what `this` denotes
  unsigned Depth = 0;
  bool InLoop = false;      ///< runs repeatedly within its party
  bool Conditional = false; ///< may not run (select case, Once)
  bool Deferred = false;    ///< runs at a Defer's scope exit
  bool ViaOnce = false;
  /// The callable the frame runs, with the arguments its invoker bound to
  /// its parameters (evaluated in the invoking frame).
  Callable Call;
};

struct Party {
  enum class Kind : uint8_t { Entry, Task };
  PartyId Id = NoParty;
  Kind K = Kind::Entry;
  FrameId Top = NoFrame;
  /// Tasks only.
  unsigned TaskIndex = ~0u; ///< bit in liveness sets
  PartyId Spawner = NoParty;
  FrameId SpawnFrame = NoFrame;
  OpLocation SpawnOp;
  bool Many = false;
  AccessPath HandlePath;  ///< thread / future / container it is bound to
  AccessPath GroupPath;   ///< Group::go
  ObjectId Handle = ~0u, Group = ~0u; ///< canonical, after finish()
  const clang::Stmt *SpawnSite = nullptr;
  const clang::FunctionDecl *Body = nullptr;
  std::vector<FrameId> Frames;
  bool isTask() const { return K == Kind::Task; }
};

/// A channel operation performed by a party.
struct Event {
  enum class Kind : uint8_t { Send, TrySend, Recv, TryRecv, RangeRecv, Close };
  Kind K = Kind::Send;
  PartyId Party = NoParty;
  FrameId Frame = NoFrame;
  OpLocation Loc;
  int Case = -1; ///< index of the select case, -1 outside select
  ObjectId Channel = ~0u;
  AccessPath Path;
  const clang::Stmt *Site = nullptr;        ///< the op (or select case)
  const clang::Expr *ChannelExpr = nullptr;
  bool InSelect = false;
  bool Guarded = false;  ///< select with a default or cancellation case
  bool InLoop = false;   ///< repeats within its party
  bool Conditional = false;
  bool Deferred = false;
  bool ViaOnce = false;
  /// Runs inside a try block that catches a send on a closed channel
  /// (go101's "SafeSend"): the party expects the close.
  bool CatchesClose = false;
  /// In a select: whether it has a default case, and the signal channels of
  /// its other receive cases (what makes the select give up).
  bool SelectHasDefault = false;
  llvm::SmallVector<AccessPath, 1> SignalPaths;
  llvm::SmallVector<ObjectId, 1> Signals;

  bool isSend() const { return K == Kind::Send || K == Kind::TrySend; }
  bool isRecv() const {
    return K == Kind::Recv || K == Kind::TryRecv || K == Kind::RangeRecv;
  }
  bool blocks() const {
    return (K == Kind::Send || K == Kind::Recv || K == Kind::RangeRecv) &&
           !Guarded;
  }
};

/// Where a channel was made, and with what capacity.
struct ChannelCreation {
  const clang::Expr *Site = nullptr;     ///< constructor or make_chan call
  const clang::Expr *Capacity = nullptr; ///< null: default (unbuffered)
  FrameId Frame = NoFrame;
  PartyId Party = NoParty;
};

/// The entries a root runs: one function, or every method of a class.
struct Root {
  std::vector<const clang::FunctionDecl *> Entries;
  const clang::CXXRecordDecl *Class = nullptr;
  std::string describe() const;
};

/// The work a root may take. Past MaxDepth nested calls and task starts a
/// call is not followed (the rest of the root is still modelled); past
/// MaxTasks tasks or MaxFrames frames the root is not modelled at all.
/// Every bound hit is recorded and reported (LimitHit, BoundHit). 32
/// levels cost little (ten chains of 80 helpers, cut at 32: 0.2 s), while
/// far deeper bounds make long chains quadratic (3.9 s at 200; see
/// docs/performance.md); the frames bound is what holds fan-out. MaxDepth
/// stays below the 128 frames that lexicalFrame walks.
struct ModelLimits {
  unsigned MaxFrames = 600;
  unsigned MaxDepth = 32;
  unsigned MaxTasks = 64;
};

/// A limit that cut a model short, and where: the call or task start that
/// was not followed, or that went past the tasks or frames of the root.
struct LimitHit {
  enum class Limit : uint8_t { Depth, Tasks, Frames };
  Limit Which = Limit::Depth;
  const clang::Stmt *Site = nullptr;            ///< null: the root's own entry
  const clang::FunctionDecl *Callee = nullptr; ///< what was not run
};

class ProgramModel {
public:
  /// Builds frames, parties and events for a root. Returns null when the
  /// tasks or frames exceed their limits. Every limit hit, whether it
  /// skipped the root or one call, goes to Hits (once per site).
  static std::unique_ptr<ProgramModel> build(const Root &R, IRCache &IRs,
                                             const ModelLimits &Limits,
                                             std::vector<LimitHit> *Hits = nullptr);

  const std::vector<Frame> &frames() const { return Frames; }
  const std::vector<Party> &parties() const { return Parties; }
  const std::vector<Event> &events() const { return Events; }
  const Frame &frame(FrameId F) const { return Frames[F]; }
  const Party &party(PartyId P) const { return Parties[P]; }
  const Op &op(FrameId F, OpLocation L) const { return Frames[F].IR->op(L); }
  unsigned numTasks() const { return NumTasks; }
  PartyId taskParty(unsigned TaskIndex) const { return TaskParties[TaskIndex]; }

  AliasSets &aliases() { return Aliases; }
  ObjectId object(const AccessPath &P) { return Aliases.object(P); }

  /// Child frames an op runs (a call, a deferred callable, select callbacks
  /// indexed by case, a Once callable). Empty when not followed.
  llvm::ArrayRef<FrameId> children(FrameId F, OpLocation L) const;
  /// The child frame that runs select case `Case`, or NoFrame.
  FrameId caseFrame(FrameId F, OpLocation L, unsigned Case) const;
  /// The tasks a spawn op started: one, or one per callable stored into
  /// the container whose elements it starts.
  llvm::ArrayRef<PartyId> spawned(FrameId F, OpLocation L) const;

  /// The argument the invoking frame passed for parameter P of frame F, or
  /// null (a root's entry, a parameter without one).
  const clang::Expr *boundArgument(FrameId F, const clang::ParmVarDecl *P) const;

  /// Canonical object of an expression evaluated in a frame.
  ObjectId objectOf(const clang::Expr *E, FrameId F);
  AccessPath pathOf(const clang::Expr *E, FrameId F);
  /// The path of a variable as seen from frame F.
  AccessPath varPath(const clang::ValueDecl *D, FrameId F);

  /// Creation of a channel object, if seen in this root.
  const ChannelCreation *creationOf(ObjectId Channel);
  /// True when a channel object is a local of one of the party's frames, so
  /// each run of a party has its own.
  bool ownedBy(ObjectId Channel, PartyId P);
  /// True for an element of a container: different runs of a task may each
  /// get a different element.
  bool isElement(ObjectId Object);
  /// The party whose frames declare the channel's variable, if any.
  PartyId ownerOf(ObjectId Channel);

  /// True if the task reports to the wait group (calls done() on it).
  bool reportsTo(PartyId Task, ObjectId WaitGroup) const;
  /// Tasks that close the channel in a Defer of their top frame, i.e.
  /// signal their own completion on it.
  bool signalsCompletionOn(PartyId Task, ObjectId Channel) const;

  /// Task ids (bits) spawned transitively by a task, including itself.
  const llvm::BitVector &spawnClosure(PartyId Task) const {
    return SpawnClosure[Parties[Task].TaskIndex];
  }

  /// A readable name for the party (for notes).
  std::string describeParty(PartyId Id) const;

  /// Debug listing of parties, frames and events (CHANLINT_DEBUG_MODEL=1).
  void dump(llvm::raw_ostream &OS, const clang::SourceManager &SM) const;

private:
  friend class ModelBuilder;
  friend class PathResolver;
  ProgramModel() = default;
  void finish();

  std::vector<Frame> Frames;
  std::vector<Party> Parties;
  std::vector<Event> Events;
  std::vector<PartyId> TaskParties;
  unsigned NumTasks = 0;
  AliasSets Aliases;
  const OpRecognizer *ResolverRecognizer = nullptr;

  /// (frame, block, index) -> child frames / spawned party
  llvm::DenseMap<uint64_t, llvm::SmallVector<FrameId, 2>> Children;
  llvm::DenseMap<uint64_t, llvm::SmallVector<int, 2>> ChildCase;
  llvm::DenseMap<uint64_t, llvm::SmallVector<PartyId, 1>> Spawns;
  /// (frame, call expression) -> the frame that ran it (for returns)
  llvm::DenseMap<std::pair<FrameId, const clang::Stmt *>, FrameId> CallFrames;

  std::vector<std::pair<PathRoot, ChannelCreation>> RawCreations;
  llvm::DenseMap<ObjectId, ChannelCreation> Creations;
  std::vector<std::pair<PartyId, AccessPath>> RawWgDone;
  llvm::DenseMap<PartyId, llvm::SmallVector<ObjectId, 2>> WgDone;
  std::vector<std::pair<PartyId, AccessPath>> RawDeferClose;
  llvm::DenseMap<PartyId, llvm::SmallVector<ObjectId, 2>> DeferClose;
  std::vector<llvm::BitVector> SpawnClosure;

  static uint64_t key(FrameId F, OpLocation L) {
    return (static_cast<uint64_t>(F) << 40) |
           (static_cast<uint64_t>(L.Block) << 20) | L.Index;
  }
};

/// Builds FunctionIR on demand and keeps it for the TU.
class IRCache {
public:
  /// TouchFilter: decide from the AST (ChannelTouch) that a body is
  /// irrelevant before building its IR; off, every body's IR is built.
  explicit IRCache(const OpRecognizer &R, bool TouchFilter = true)
      : Recognizer(R), Touch(R, TouchFilter) {}
  const FunctionIR *get(const clang::FunctionDecl *F);
  const OpRecognizer &recognizer() const { return Recognizer; }
  /// True if running the function can touch channels, tasks or sync
  /// objects (transitively through calls and callables).
  bool relevant(const clang::FunctionDecl *F);
  /// The syntactic pre-test: a body it rejects needs no IR.
  ChannelTouch &touch() { return Touch; }
  /// Bodies whose IR was asked for (built, or found to have no CFG).
  unsigned built() const { return IRs.size(); }

private:
  const OpRecognizer &Recognizer;
  ChannelTouch Touch;
  llvm::DenseMap<const clang::FunctionDecl *, std::unique_ptr<FunctionIR>> IRs;
  llvm::DenseMap<const clang::FunctionDecl *, int> Relevance; // 0 busy, 1 no, 2 yes
};

} // namespace chanlint
