#!/usr/bin/env bash
# The README's test command (and CI's, .ci/run): the whole suite in build/,
# then the sanitizer and fuzzing checks (docs/fuzzing.md):
#   0. installs the test-only packages when one is missing (./setup.sh
#      --test-packages-only) and builds the test programs in build/;
#   1. ctest in build/ (as `ctest --test-dir build --output-on-failure -j2`),
#      then clang-tidy on the C++ sources the last commit touched
#      (tools/tidy_changed.sh; QTRADER_TIDY=0 skips it, QTRADER_TIDY_BASE
#      sets what to compare with);
#   2. the test programs of the parsers and the Lua host (base, config, data,
#      indicators, lua) built with clang under ASan + UBSan in build-fuzz/ and
#      run there; that build makes shared libraries (BUILD_SHARED_LIBS, the
#      fuzz preset), so the shared configuration is built and tested too;
#   3. each libFuzzer harness for QTRADER_FUZZ_SECONDS (default 30); its
#      findings are reported, not fatal (below).
# QTRADER_SANITIZERS=0 stops after step 1. Exit status: the first failure's.
set -euo pipefail
cd "$(dirname "$0")/.."

# What only the tests need (setup.sh's test packages: Catch2, Chromium,
# pytest, pandas, jsonschema, clang), installed when one is missing, and the
# test programs, which `./setup.sh` alone does not build.
missing=0
for p in $(./setup.sh --list-test-packages); do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing=1
done
if [ "$missing" = 1 ]; then ./setup.sh --test-packages-only; fi
cmake -S . -B build -DQTRADER_BUILD_TESTS=ON >/dev/null
cmake --build build -j2
# Symbolized sanitizer reports (llvm-14, a test package).
if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi

ctest --test-dir build --output-on-failure -j2
# clang-tidy (.clang-tidy) on the C++ sources the last change touched.
[ "${QTRADER_TIDY:-1}" = 0 ] || tools/tidy_changed.sh "${QTRADER_TIDY_BASE:-HEAD~1}"
[ "${QTRADER_SANITIZERS:-1}" != 0 ] || exit 0

start=$(date +%s)
launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
# Configured again when an older build-fuzz/ predates the preset's shared libraries.
grep -qs '^BUILD_SHARED_LIBS:BOOL=ON' build-fuzz/CMakeCache.txt ||
  cmake --preset fuzz "${launcher[@]}" >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target test_base test_config test_data test_indicators test_lua fuzzers
built=$(date +%s)
# The tests of the programs built above: the others stand in build-fuzz as
# *_NOT_BUILT placeholders; the architecture, report_js and install tests ran
# in step 1 (the install test needs the whole tree, built in build/ only).
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-fuzz --output-on-failure -j2 -E '_NOT_BUILT|^architecture|^report_js|^install\.'
tested=$(date +%s)
# Time-boxed fuzzing explores new inputs, different on every run: what it
# finds is printed and kept in build-fuzz/artifacts/ for a person to turn into
# a fix and a regression test (docs/fuzzing.md), but it does not fail this
# command, whose verdict must not depend on luck. The regression inputs of
# fuzz/regressions/ (replayed by ctest above) do fail it. No leak checking
# here: after an out-of-memory, LeakSanitizer's scan of a 2 GB heap takes
# minutes; the ASan+UBSan tests above check leaks.
fuzz_seconds=${QTRADER_FUZZ_SECONDS:-30}
if ! ASAN_OPTIONS=detect_leaks=0 QTRADER_FUZZ_JOBS=$(nproc) \
    timeout -k 10 $((fuzz_seconds * 3 + 30)) fuzz/run_fuzzers.sh "$fuzz_seconds"; then
  echo "WARNING: a fuzzer found an input to look at (or ran out of time): build-fuzz/artifacts/" >&2
fi
echo "sanitizer build $((built - start)) s, ASan+UBSan tests $((tested - built)) s, fuzzing $(($(date +%s) - tested)) s"
