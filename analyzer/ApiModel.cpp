#include "ApiModel.h"

namespace chanlint {

ApiModel ApiModel::chanLibrary() {
  ApiModel M;
  M.Name = "chan";
  M.LibraryNamespaces = {"chan", "std"};

  M.ChannelTypes = {{"chan::Chan", true, true},
                    {"chan::SendChan", true, false},
                    {"chan::RecvChan", false, true}};
  M.SendMethods = {"send"};
  M.TrySendMethods = {"try_send"};
  M.RecvMethods = {"recv"};
  M.TryRecvMethods = {"try_recv"};
  M.CloseMethods = {"close"};
  M.ViewMethods = {"sender", "receiver"};
  M.MakeChannelFunctions = {"chan::make_chan"};

  M.SelectFunction = "chan::select";
  M.RecvCaseFunction = "chan::recv_case";
  M.SendCaseFunction = "chan::send_case";
  M.DefaultCaseFunction = "chan::default_case";

  using Form = SpawnerModel::Form;
  M.Spawners = {
      {Form::FreeFunction, "chan::go", 0, false, false, false},
      {Form::Method, "chan::Group::go", 0, false, true, false},
      {Form::Method, "chan::WaitGroup::go", 0, false, false, false, true},
      {Form::Constructor, "std::thread", 0, false, false, false},
      {Form::Constructor, "std::jthread", 0, false, false, true},
      {Form::FreeFunction, "std::async", 0, true, false, false},
  };

  M.WaitGroupType = "chan::WaitGroup";
  M.WaitGroupAdd = {"add"};
  M.WaitGroupDone = {"done"};
  M.WaitGroupWait = {"wait"};
  M.GroupType = "chan::Group";
  M.GroupWait = {"wait"};
  M.OnceType = "chan::Once";
  M.OnceCall = {"call"};
  M.DeferType = "chan::Defer";

  M.TickerType = "chan::Ticker";
  M.TimerType = "chan::Timer";
  M.NewTickerFunctions = {"chan::new_ticker"};
  M.NewTimerFunctions = {"chan::new_timer"};
  M.AfterFunctions = {"chan::after"};
  M.TimerStopMethods = {"stop"};
  M.TimerChannelMethods = {"c"};

  M.ContextType = "chan::Context";
  M.CancelFuncType = "chan::CancelFunc";
  M.ContextDoneMethods = {"done"};
  M.ContextErrorMethods = {"err"};
  M.ContextLiveError = "none";
  M.BackgroundFunctions = {"chan::background"};
  M.WithCancelFunctions = {"chan::with_cancel", "chan::with_timeout",
                           "chan::with_deadline"};

  M.ClosedChannelErrors = {"chan::closed_channel_error", "chan::channel_error",
                           "std::logic_error", "std::exception"};

  M.ThreadTypes = {"std::thread", "std::jthread"};
  M.ThreadJoinMethods = {"join"};
  M.FutureTypes = {"std::future", "std::shared_future"};
  M.FutureWaitMethods = {"get", "wait"};
  return M;
}

} // namespace chanlint
