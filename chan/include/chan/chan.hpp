// chan: Go-style channels, select, goroutines, contexts and timers for C++20.
// The umbrella header; each part also has its own header.
#pragma once

#include <chan/channel.hpp>  // Chan, SendChan, RecvChan, TryRecv, Unit, make_chan
#include <chan/clock.hpp>    // Clock, TimePoint, Duration
#include <chan/context.hpp>  // Context, CancelFunc, background, with_cancel/timeout/deadline
#include <chan/defer.hpp>    // Defer
#include <chan/errors.hpp>   // channel_error and friends
#include <chan/go.hpp>       // go
#include <chan/group.hpp>    // Group
#include <chan/select.hpp>   // select, recv_case, send_case, default_case
#include <chan/sync.hpp>     // WaitGroup, Once
#include <chan/testing.hpp>  // leak checker
#include <chan/time.hpp>     // Ticker, Timer, new_ticker, new_timer, after
#include <chan/version.hpp>  // CHAN_VERSION_*
