// A publisher that ignores its context when it sends (chan-unguarded-send),
// and one whose finding is silenced with NOLINT.
#include <chan/chan.hpp>

void publish(const chan::Context &ctx, chan::SendChan<int> out, int n) {
  for (int i = 0; i < n; ++i)
    out.send(i);
  out.close();
}

void publish_quietly(const chan::Context &ctx, chan::SendChan<int> out, int n) {
  for (int i = 0; i < n; ++i)
    out.send(i); // NOLINT(chan-unguarded-send): the consumer drains until closed
  out.close();
}
