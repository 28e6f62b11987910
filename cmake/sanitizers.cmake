# Sanitizers and fuzzing for every target of the build (docs/security.md).
#   ALPHAMMO_SANITIZE  "address,undefined" (the asan preset) or "thread" (the tsan preset): every
#                      translation unit is instrumented, and a report aborts the program
#                      (-fno-sanitize-recover; the test presets set the runtimes' options and
#                      tests/sanitizers/*.supp), so a test with a report fails.
#   ALPHAMMO_FUZZ      the libFuzzer targets of tests/fuzz (clang++ only): every translation unit
#                      also gets libFuzzer's coverage instrumentation, so the fuzzers see into
#                      libworld, protocol and content without a build of their own.
set(ALPHAMMO_SANITIZE "" CACHE STRING
    "Sanitizers for every target, as -fsanitize= takes them (address,undefined or thread)")
option(ALPHAMMO_FUZZ "Build the libFuzzer targets in tests/fuzz (clang++ only)" OFF)

if(ALPHAMMO_SANITIZE)
  add_compile_options(-fsanitize=${ALPHAMMO_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${ALPHAMMO_SANITIZE})
endif()

set(ALPHAMMO_FUZZ_ENABLED OFF)
if(ALPHAMMO_FUZZ)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(ALPHAMMO_FUZZ_ENABLED ON)
    add_compile_options(-fsanitize=fuzzer-no-link)
  else()
    message(WARNING "ALPHAMMO_FUZZ needs clang++ (libFuzzer); the fuzz targets are not built")
  endif()
endif()
