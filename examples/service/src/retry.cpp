// Retries: one task per failed job, all reporting on one channel.
#include "job.hpp"

#include <chan/chan.hpp>

namespace service {

chan::RecvChan<Result> retry_all(const chan::Context& ctx, const std::vector<Job>& failed) {
  chan::Chan<Result> out(failed.size());
  for (const Job& job : failed) {
    chan::go([=] {
      // Each retry closes the channel when it is done: the first one to
      // finish closes it under the others.
      chan::Defer close_out([=] { out.close(); });
      // Each attempt gets two seconds; its cancel function is never called,
      // so the attempt's context and deadline live on after it is done.
      auto [attempt, cancel_attempt] = chan::with_timeout(ctx, std::chrono::seconds(2));
      Result r = process(job);
      chan::select(chan::send_case(out, r), chan::recv_case(attempt.done()));
    });
  }
  return out;
}

}  // namespace service
