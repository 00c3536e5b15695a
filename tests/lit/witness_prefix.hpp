// The prefix every runtime witness is compiled with, precompiled once per
// lit run by witness_pch.py: chan and the standard headers witnesses use
// most. A witness still includes what it needs (the header guards make the
// second inclusion free); a witness that must define a macro before chan's
// headers are read cannot take the prefix (none does today).
#include <chan/chan.hpp>
#include <chan/testing.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>
