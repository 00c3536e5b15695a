// Exceptions thrown where Go would panic.
#pragma once

#include <stdexcept>

namespace chan {

// Base of every error the library throws where Go would panic (channel and
// WaitGroup misuse). A logic_error: like Go's panics, these report bugs in
// the program, not conditions to recover from in normal flow.
class channel_error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// send() / try_send() / a chosen send case on a closed channel, including a
// sender that was blocked when the channel was closed.
class closed_channel_error : public channel_error {
 public:
  closed_channel_error() : channel_error("send on closed channel") {}
};

// A second close() of the same channel.
class double_close_error : public channel_error {
 public:
  double_close_error() : channel_error("close of closed channel") {}
};

// WaitGroup::add/done drove the counter below zero.
class negative_waitgroup_error : public channel_error {
 public:
  negative_waitgroup_error() : channel_error("sync: negative WaitGroup counter") {}
};

}  // namespace chan
