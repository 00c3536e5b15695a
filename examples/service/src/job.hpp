// Jobs and their results: what the dispatcher moves between its parts.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace service {

struct Job {
  int id = 0;
  std::string payload;
  int attempt = 1;
};

struct Result {
  int job_id = 0;
  bool ok = false;
  std::string detail;
};

// The work itself: a stand-in for a call to a backend. Every seventh job
// fails on its first attempt.
Result process(const Job& job);

struct Summary {
  int ok = 0;
  int failed = 0;
  std::vector<Job> to_retry;
};

}  // namespace service
