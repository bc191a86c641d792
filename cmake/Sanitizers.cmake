# Sanitizer and fuzzing builds (CMakePresets.json, docs/fuzzing.md).
#
# QTRADER_SANITIZE instruments every target of the tree: "address,undefined"
# (the asan-ubsan preset) or "thread" (tsan). LuaJIT is Debian's shared
# library and stays uninstrumented; the Lua state's memory comes from our own
# allocator (realloc), so ASan still sees every Lua object.
# QTRADER_FUZZ adds libFuzzer's coverage feedback to every library and builds
# the harnesses of fuzz/ (clang only).
set(QTRADER_SANITIZE "" CACHE STRING "Sanitizers for every target: address,undefined | thread | empty")
option(QTRADER_FUZZ "Build the libFuzzer harnesses of fuzz/ (clang only; implies address,undefined)" OFF)

if(QTRADER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "QTRADER_FUZZ needs clang's libFuzzer: configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ (or the fuzz preset)")
  endif()
  if(NOT QTRADER_SANITIZE)
    set(QTRADER_SANITIZE "address,undefined" CACHE STRING "" FORCE)
  endif()
  # Coverage counters in every library; only the harnesses link libFuzzer's
  # main (fuzz/CMakeLists.txt). Test programs built in this tree link fine:
  # the sanitizer runtime defines the coverage callbacks.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(QTRADER_SANITIZE)
  add_compile_options(-fsanitize=${QTRADER_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${QTRADER_SANITIZE})
  if(QTRADER_SANITIZE MATCHES "undefined")
    # Undefined behaviour ends the program, so a test or a fuzzer fails on it.
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
endif()
