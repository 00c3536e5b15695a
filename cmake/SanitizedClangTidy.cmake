# An ASan build of the plugin can only be loaded into a clang-tidy that runs
# the ASan runtime, and Debian's clang-tidy-19 is not instrumented. The tests
# then run clang-tidy through a wrapper that preloads the runtime (which also
# carries UBSan's handlers), so lit, the parity test and everything else that
# loads the plugin need no change.
if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=[^ ]*address")
  execute_process(
    COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libclang_rt.asan-x86_64.so
    OUTPUT_VARIABLE _chanlint_asan_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT EXISTS "${_chanlint_asan_runtime}")
    message(FATAL_ERROR "ASan's shared runtime not found (${_chanlint_asan_runtime}): "
                        "install the Debian package libclang-rt-19-dev")
  endif()
  set(_chanlint_wrapper "${CMAKE_BINARY_DIR}/clang-tidy-asan")
  file(WRITE "${_chanlint_wrapper}"
    "#!/bin/sh\n"
    "# Debian's clang-tidy with ASan's runtime preloaded, to load an ASan plugin.\n"
    "LD_PRELOAD=\"${_chanlint_asan_runtime}\${LD_PRELOAD:+:\$LD_PRELOAD}\" "
    "exec \"${CHANLINT_CLANG_TIDY}\" \"$@\"\n")
  file(CHMOD "${_chanlint_wrapper}" PERMISSIONS
       OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  set(CHANLINT_CLANG_TIDY "${_chanlint_wrapper}")
  message(STATUS "chanlint: sanitized build, tests run clang-tidy through ${_chanlint_wrapper}")
endif()
