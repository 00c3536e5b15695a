// ApiIndex answers the ApiModel's questions about clang declarations and
// types: "is this type a channel?", "is this method a close?". It resolves
// names through canonical types and template patterns, so `using Jobs =
// chan::Chan<Job>` and `Chan<T>` inside templates are recognised.
#pragma once

#include "ApiModel.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace clang {
class CXXMethodDecl;
class SourceManager;
} // namespace clang

namespace chanlint {

/// What a handle type is, for the analysis.
enum class TypeRole : uint8_t {
  None,
  Channel,
  Ticker,
  Timer,
  WaitGroup,
  Group,
  Once,
  Defer,
  Context,
  CancelFunc,
  Thread,
  Future,
};

/// What a library method does.
enum class MethodRole : uint8_t {
  None,
  Send,
  TrySend,
  Recv,
  TryRecv,
  Close,
  View,       // sender()/receiver(): same channel
  WgAdd,
  WgDone,
  WgWait,
  GroupWait,
  GroupContext,
  OnceCall,
  TimerStop,  // stop() on a ticker or timer
  TimerReset,
  TimerChannel,
  ContextDone,
  ThreadJoin,
  ThreadDetach,
  FutureWait,
};

/// What a library free function does.
enum class FunctionRole : uint8_t {
  None,
  MakeChannel,
  Select,
  RecvCase,
  SendCase,
  DefaultCase,
  NewTicker,
  NewTimer,
  After,
  Background,
  WithCancel,
};

class ApiIndex {
public:
  explicit ApiIndex(ApiModel Model) : Model(std::move(Model)) {}

  const ApiModel &model() const { return Model; }

  /// The role of a type after stripping sugar, references, pointers and cv.
  TypeRole roleOf(clang::QualType T) const;
  /// The channel model for a channel type, or null.
  const ChannelTypeModel *channelModel(clang::QualType T) const;
  /// The element type of a channel, or null type.
  clang::QualType channelElementType(clang::QualType T) const;
  /// True if the type is a std container-like class template whose
  /// template arguments contain a tracked handle type (vector<Chan<int>>).
  bool isContainerOfHandles(clang::QualType T) const;
  /// True if T is a class (not a library type) that has tracked members, directly
  /// or in nested members.
  bool holdsHandles(clang::QualType T) const;
  bool isTracked(clang::QualType T) const {
    return roleOf(T) != TypeRole::None || isContainerOfHandles(T) ||
           holdsHandles(T);
  }

  /// A channel whose values mean "stop" or "time is up" rather than data:
  /// empty element type (chan::Unit), time points, after(). A receive case
  /// on one guards a select.
  bool isSignalChannel(const clang::Expr *ChannelExpr) const;

  /// The context a channel expression is the done() channel of
  /// (`ctx.done()`), or null.
  const clang::Expr *contextOfDone(const clang::Expr *ChannelExpr) const;
  /// What a context's error method no longer returns once done() fired:
  /// the method's name and the "live" enumerator's value.
  struct LiveContextError {
    std::string Method;
    int64_t Value = 0;
  };
  std::optional<LiveContextError> liveContextError(clang::QualType Context) const;

  MethodRole roleOf(const clang::CXXMethodDecl *M) const;
  /// Role of a member call written against a possibly dependent base type:
  /// used for uninstantiated template code.
  MethodRole roleOfMember(clang::QualType BaseType, llvm::StringRef Name) const;
  FunctionRole roleOf(const clang::FunctionDecl *F) const;
  /// The spawner a call or construction denotes, if any.
  const SpawnerModel *spawnerFor(const clang::FunctionDecl *Callee) const;
  const SpawnerModel *spawnerForConstruction(clang::QualType T) const;

  /// Library code is modelled, never analysed: functions in the model's
  /// namespaces.
  bool isLibraryDecl(const clang::Decl *D) const;

  /// "ns::Class::method" without inline namespaces or template arguments.
  std::string qualifiedName(const clang::NamedDecl *D) const;

private:
  const clang::NamedDecl *typeDecl(clang::QualType T) const;
  TypeRole roleOfName(llvm::StringRef QN) const;
  static bool contains(const std::vector<std::string> &V, llvm::StringRef S);

  ApiModel Model;
  mutable llvm::DenseMap<const clang::Decl *, std::string> NameCache;
  mutable llvm::DenseMap<const clang::Type *, TypeRole> RoleCache;
  mutable llvm::DenseMap<const clang::Type *, bool> HoldsCache;
};

} // namespace chanlint
