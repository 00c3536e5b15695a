// A finding on a line whose comment is Latin-1, not UTF-8 (legacy code):
// its quoted line, in JSON, SARIF and the result cache, must not abort the
// driver (found by chanlint_fuzz: invalid-utf8-in-compiler-error.cpp).
#include <chan/chan.hpp>

#include <chrono>

void poll() {
  chan::Ticker t = chan::new_ticker(std::chrono::seconds(1)); // arrêt
  (void)t.c().recv();
}
