// The API model: which types and calls of a channel library mean send,
// receive, close, select, spawn, wait, stop... The analyzer never looks at
// spellings in user code; it asks the model about the declarations that calls
// and types resolve to, so aliases, wrappers and templates are seen through.
//
// The model is plain data (qualified names), so other libraries can be
// described in YAML (see ApiModelYAML.h) without touching the analyzer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chanlint {

/// A channel-like class (template): which directions its handle allows.
struct ChannelTypeModel {
  std::string QualifiedName; // e.g. "chan::Chan"
  bool CanSend = true;
  bool CanRecv = true;
};

/// A way of starting a concurrent task.
struct SpawnerModel {
  enum class Form : uint8_t { FreeFunction, Method, Constructor };
  Form Kind = Form::FreeFunction;
  std::string QualifiedName;   // function, method ("chan::Group::go") or class
  unsigned CallableArg = 0;    // index of the callable among the arguments
  bool SkipLaunchPolicy = false; // std::async(policy, f, args...)
  bool PassesContext = false;  // the callable receives the group's context
  bool JoinsOnDestruction = false; // std::jthread
  bool CountsOnObject = false;     // WaitGroup::go: the task reports to it
};

/// A handle type with methods that matter (WaitGroup, Ticker, thread...).
struct HandleTypeModel {
  std::string QualifiedName;
  std::vector<std::string> Methods; // meaning depends on the slot it fills
};

struct ApiModel {
  std::string Name;
  /// Namespaces whose functions are modelled, never analysed as user code.
  std::vector<std::string> LibraryNamespaces;

  std::vector<ChannelTypeModel> ChannelTypes;
  std::vector<std::string> SendMethods, TrySendMethods, RecvMethods,
      TryRecvMethods, CloseMethods, ViewMethods;
  /// Free functions returning a fresh channel ("chan::make_chan").
  std::vector<std::string> MakeChannelFunctions;

  std::string SelectFunction, RecvCaseFunction, SendCaseFunction,
      DefaultCaseFunction;

  std::vector<SpawnerModel> Spawners;

  std::string WaitGroupType;
  std::vector<std::string> WaitGroupAdd, WaitGroupDone, WaitGroupWait;
  std::string GroupType;
  std::vector<std::string> GroupWait;
  std::string OnceType;
  std::vector<std::string> OnceCall;
  std::string DeferType;

  std::string TickerType, TimerType;
  std::vector<std::string> NewTickerFunctions, NewTimerFunctions,
      AfterFunctions, TimerStopMethods, TimerChannelMethods;

  std::string ContextType, CancelFuncType;
  std::vector<std::string> ContextDoneMethods, BackgroundFunctions,
      WithCancelFunctions;
  /// Once done() has fired, these methods no longer return the enumerator
  /// named ContextLiveError (`ctx.err() != ContextError::none`).
  std::vector<std::string> ContextErrorMethods;
  std::string ContextLiveError;

  /// std::thread-like types: their join methods end the task.
  std::vector<std::string> ThreadTypes;
  std::vector<std::string> ThreadJoinMethods;
  /// std::future-like types: get/wait end a task started by async.
  std::vector<std::string> FutureTypes;
  std::vector<std::string> FutureWaitMethods;

  /// Exception types whose handlers catch a send on a closed channel (the
  /// error itself and its bases). A send in a try block that catches one of
  /// them (or everything) is prepared for the close.
  std::vector<std::string> ClosedChannelErrors;

  /// The built-in model of this project's `chan` library (and std threads).
  static ApiModel chanLibrary();
};

} // namespace chanlint
