// What every analyzer unit test's snippet includes first, precompiled once
// by the build (tests/analyzer/CMakeLists.txt). Only chan's header: a snippet
// that wants more includes it itself, as it would without the prefix.
#include <chan/chan.hpp>
