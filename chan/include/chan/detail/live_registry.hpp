// What is alive right now: tasks started with chan::go / Group::go and
// running tickers and timers. The leak checker (chan/testing.hpp) reads it.
#pragma once

#include <chan/clock.hpp>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <source_location>
#include <vector>

namespace chan::detail {

enum class LiveKind : std::uint8_t { task, group_task, ticker, timer };

struct LiveItem {
  std::uint64_t id = 0;
  LiveKind kind = LiveKind::task;
  std::source_location where;
  TimePoint since;
};

class LiveRegistry {
 public:
  // Never destroyed: detached tasks may still unregister while statics die.
  static LiveRegistry& instance() {
    static auto* registry = new LiveRegistry();
    return *registry;
  }

  std::uint64_t add(LiveKind kind, const std::source_location& where) {
    std::lock_guard<std::mutex> lock(mutex_);
    const std::uint64_t id = next_id_++;
    items_.emplace(id, LiveItem{id, kind, where, Clock::now()});
    return id;
  }

  void remove(std::uint64_t id) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      items_.erase(id);
    }
    changed_.notify_all();
  }

  // Ids are increasing: everything added from now on has an id >= next_id().
  std::uint64_t next_id() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return next_id_;
  }

  // Waits (without polling) until nothing with id >= since is alive, or
  // until deadline; returns what is still alive then, oldest first.
  std::vector<LiveItem> wait_until_clear(std::uint64_t since, TimePoint deadline) const {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_until(lock, deadline, [&] { return items_.lower_bound(since) == items_.end(); });
    std::vector<LiveItem> alive;
    for (auto it = items_.lower_bound(since); it != items_.end(); ++it) alive.push_back(it->second);
    return alive;
  }

 private:
  LiveRegistry() = default;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::map<std::uint64_t, LiveItem> items_;
  std::uint64_t next_id_ = 1;
};

}  // namespace chan::detail
