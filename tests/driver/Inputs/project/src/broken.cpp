// A file that does not compile: the finding before the error is still
// reported, with the error, and the run exits with 3.
#include <chan/chan.hpp>

void consume_and_close() {
  chan::Chan<int> jobs;
  chan::go([jobs] {
    for (int i = 0; i < 10; ++i)
      jobs.send(i);
  });
  for (int v : jobs) {
    if (v == 3) {
      jobs.close();
      break;
    }
  }
}

void not_cpp() { this_does_not_compile(); }
