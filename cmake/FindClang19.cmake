# Locates Debian's LLVM/Clang 19 through their CMake package configs.
#
# find_package(LLVM 19 CONFIG) does not work: LLVM's version file demands an
# exact major.minor match, so 19 is refused by 19.1.7. Search the known
# prefixes instead and check the major version ourselves.
# LLVMConfig.cmake runs check_c_source_compiles (FindFFI), which needs C.
enable_language(C)

set(_chanlint_llvm_hints
    /usr/lib/llvm-19/lib/cmake/llvm
    /usr/lib/llvm-19/lib/cmake/llvm-19
    /usr/lib/cmake/llvm-19)
find_package(LLVM CONFIG QUIET PATHS ${_chanlint_llvm_hints} NO_DEFAULT_PATH)
if(NOT LLVM_FOUND)
  find_package(LLVM CONFIG QUIET)
endif()
if(NOT LLVM_FOUND OR NOT LLVM_VERSION_MAJOR EQUAL 19)
  message(FATAL_ERROR
    "chanlint needs LLVM 19 (found: '${LLVM_VERSION}'). Install the Debian "
    "packages llvm-19-dev and libclang-19-dev (scripts/setup.sh does this), "
    "or configure with -DCHANLINT_BUILD_ANALYZER=OFF to build only the chan library.")
endif()

find_package(Clang CONFIG QUIET
  PATHS /usr/lib/llvm-19/lib/cmake/clang /usr/lib/cmake/clang-19
  NO_DEFAULT_PATH)
if(NOT Clang_FOUND)
  message(FATAL_ERROR
    "chanlint needs Clang 19's CMake package. Install the Debian package "
    "libclang-19-dev (scripts/setup.sh does this).")
endif()

set(CHANLINT_CLANG_TIDY_INCLUDE "${LLVM_INCLUDE_DIRS}/clang-tidy")
if(NOT EXISTS "${CHANLINT_CLANG_TIDY_INCLUDE}/ClangTidyCheck.h")
  message(FATAL_ERROR
    "clang-tidy headers not found in ${CHANLINT_CLANG_TIDY_INCLUDE}. "
    "Install the Debian package libclang-19-dev.")
endif()

set(CHANLINT_LLVM_BIN "${LLVM_TOOLS_BINARY_DIR}")
find_program(CHANLINT_CLANG_TIDY clang-tidy-19 clang-tidy
  HINTS ${CHANLINT_LLVM_BIN} NO_DEFAULT_PATH)
if(NOT CHANLINT_CLANG_TIDY)
  find_program(CHANLINT_CLANG_TIDY clang-tidy-19)
endif()
if(NOT CHANLINT_CLANG_TIDY)
  message(FATAL_ERROR "clang-tidy 19 not found. Install the Debian package clang-tidy-19.")
endif()

message(STATUS "chanlint: LLVM ${LLVM_VERSION} at ${LLVM_DIR}, clang-tidy ${CHANLINT_CLANG_TIDY}")

# Every target that includes LLVM headers gets these flags.
add_library(chanlint_llvm_flags INTERFACE)
target_include_directories(chanlint_llvm_flags SYSTEM INTERFACE
  ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
separate_arguments(_chanlint_llvm_defs NATIVE_COMMAND "${LLVM_DEFINITIONS}")
target_compile_options(chanlint_llvm_flags INTERFACE ${_chanlint_llvm_defs})
if(NOT LLVM_ENABLE_RTTI)
  target_compile_options(chanlint_llvm_flags INTERFACE -fno-rtti)
endif()
