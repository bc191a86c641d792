#!/usr/bin/env bash
# Builds the libFuzzer harnesses (build-fuzz/, the `fuzz` preset: clang-14,
# ASan + UBSan) and runs each for SECONDS, printing its executions and
# coverage. Seeds come from tests/fixtures; what a run finds is kept in
# build-fuzz/corpus/NAME, so the next run starts from there. A crash, leak,
# timeout or out-of-memory leaves build-fuzz/artifacts/NAME-* and makes the
# script exit 1 (docs/fuzzing.md says how to turn it into a test).
# Usage: fuzz/run_fuzzers.sh SECONDS [HARNESS...]    (default: all five)
set -euo pipefail
cd "$(dirname "$0")/.."
# Symbolized sanitizer reports (llvm-14, installed by setup.sh).
if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
seconds=${1:?usage: fuzz/run_fuzzers.sh SECONDS [HARNESS...]}
shift
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(csv_reader_fuzzer yaml_config_fuzzer bar_cache_fuzzer
                                         bar_chunks_fuzzer lua_script_fuzzer)
build=build-fuzz
# Inputs are written to files: keep them in memory where there is /dev/shm.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi

launcher=()
if command -v ccache >/dev/null 2>&1; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
[ -f "$build/CMakeCache.txt" ] || cmake --preset fuzz "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" --target "${harnesses[@]}"

# ---- seed corpora (rebuilt every run; small, so every harness starts fast) ----
seeds=$build/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{csv_reader_fuzzer,yaml_config_fuzzer,bar_cache_fuzzer,bar_chunks_fuzzer,lua_script_fuzzer}
fx=tests/fixtures
# CSV: 4 selector bytes (csv_reader_fuzzer.cpp: delimiter|quote, header|gzip|
# adjusted|zone, layout|bar size, date_format|time_format), then the file.
csv_seed() {  # NAME HEX_SELECTORS FILE
  { printf "$2"; head -c 8192 "$3"; } > "$seeds/csv_reader_fuzzer/$1"
}
csv_seed orcl            '\x00\x00\x00\x00' $fx/dialect/ORCL.csv
csv_seed orcl_adjusted   '\x00\x04\x00\x00' $fx/dialect/ORCL.csv
csv_seed orcl_gz         '\x00\x02\x00\x00' $fx/dialect/ORCL.csv.gz
csv_seed orcl_dmy        '\x00\x00\x05\x05' $fx/dialect/ORCL_dmy.csv
csv_seed orcl_epoch_ms   '\x00\x00\x00\x02' $fx/dialect/ORCL_epoch_ms.csv
csv_seed orcl_offsets    '\x00\x00\x00\x00' $fx/dialect/ORCL_iso_offsets.csv
csv_seed orcl_noheader   '\x02\x01\x04\x00' $fx/dialect/ORCL_noheader.tsv
csv_seed orcl_semicolon  '\x01\x00\x00\x00' $fx/dialect/ORCL_semicolon.csv
csv_seed aapl_new_york   '\x00\x08\x03\x00' $fx/dialect/AAPL_1m_new_york.csv
csv_seed aapl_utc        '\x00\x00\x01\x00' $fx/dialect/AAPL_1m_utc.csv
csv_seed backtrader_oi   '\x00\x00\x02\x00' $fx/data/2006-day-001.txt
printf '\x00\x00\x07\x00timestamp,price,size,bid,ask\n2024-03-04 10:00:00,5,1,4.9,5.1\n2024-03-04 10:00:30.5,5.2,3,5.1,5.3\n1709546460,5.1,2,5,5.2\n' \
  > "$seeds/csv_reader_fuzzer/ticks"
printf '\x00\x00\x03\x16Date,Time,Open,High,Low,Close,Volume\n20240308,093000,1,2,0.5,1.5,10\n20240308,093100,1.5,2,1,1.8,12\n' \
  > "$seeds/csv_reader_fuzzer/compact_time"
# YAML: the configuration fixtures as they are.
find $fx config examples -name '*.yaml' -size -16k -exec cp -t "$seeds/yaml_config_fuzzer" {} + 2>/dev/null || true
# Bar cache: files the test suite's runs made (tests use build/test-cache),
# each behind mode bytes 0 (as is) and 3 (checksum and row count rewritten).
for f in $(find build/test-cache build-fuzz/test-cache -name '*.qtbars' -size -16k 2>/dev/null | head -20); do
  n=$(basename "$f")
  { printf '\x00'; cat "$f"; } > "$seeds/bar_cache_fuzzer/$n.0"
  { printf '\x03'; cat "$f"; } > "$seeds/bar_cache_fuzzer/$n.3"
done
# A two-row file made here, so the harness has a seed even without a test run.
{ printf '\x03QTBARS\x00\x01\x02\x00\x00\x00\x38\x00\x00\x00'
  head -c 56 /dev/zero
  head -c 112 /dev/urandom; } > "$seeds/bar_cache_fuzzer/two_rows"
# Bar chunks: one well-formed chunk of two bars per symbol, one with n = -1.
{ printf '\x00\x02\x00\x00\x00\x00\x00\x00\x00'; for c in 1 2 3 4 5 6 7 8; do printf '\x00'; head -c 16 /dev/urandom; done; } \
  > "$seeds/bar_chunks_fuzzer/two_bars"
{ printf '\x01\xff\xff\xff\xff\xff\xff\xff\xff'; for c in 1 2 3 4 5 6 7 8; do printf '\x01\x08'; head -c 8 /dev/urandom; done; } \
  > "$seeds/bar_chunks_fuzzer/negative_n"
# Lua: every script of the repository and the sandbox's test scripts.
i=0
for f in $(find $fx/lua strategies scripts examples -name '*.lua' -size -32k 2>/dev/null); do
  i=$((i + 1)); cp "$f" "$seeds/lua_script_fuzzer/${i}_$(basename "$f")"
done

# Every input that once failed (fuzz/regressions/NAME/; each also a test in tests/).
for h in "${harnesses[@]}"; do
  if [ -d "fuzz/regressions/$h" ]; then cp fuzz/regressions/"$h"/* "$seeds/$h/"; fi
done

# ---- run ----
mkdir -p "$build/artifacts"
# QTRADER_FUZZ_JOBS harnesses at a time (default 1, so that each line below
# measures one harness alone; CI runs one per core).
jobs_at_once=${QTRADER_FUZZ_JOBS:-1}
# No harness outlives this script: when a timeout or Ctrl-C ends it, each
# running job's harness goes too, with its own children (a harness past its
# out-of-memory was seen lingering after its parent's timeout).
# Descendants first: after an out-of-memory, a sanitizer's tracer child holds
# the harness stopped under ptrace, and the harness dies only once it is gone.
kill_tree() {
  local p
  for p in $(pgrep -P "$1"); do kill_tree "$p"; done
  kill -KILL "$1" 2>/dev/null || true
}
stop_harnesses() {
  for j in $(jobs -p); do kill_tree "$j"; done
}
trap stop_harnesses EXIT
trap 'exit 143' TERM INT
for h in "${harnesses[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_at_once" ]; do wait -n || true; done
  corpus=$build/corpus/$h
  mkdir -p "$corpus"
  dict=()
  [ -f "fuzz/$h.dict" ] && dict=(-dict="fuzz/$h.dict")
  log=$build/artifacts/$h.log
  rm -f "$log.rc"
  { rc=0
    "$build/fuzz/$h" "${dict[@]}" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len=16384 \
      -print_final_stats=1 -artifact_prefix="$build/artifacts/$h-" "$corpus" "$seeds/$h" >"$log" 2>&1 || rc=$?
    echo "$rc" > "$log.rc"; } &
done
wait

status=0
printf '%-20s %10s %8s %8s %8s %8s %s\n' harness execs exec/s cov ft corpus result
for h in "${harnesses[@]}"; do
  log=$build/artifacts/$h.log
  rc=$(cat "$log.rc" 2>/dev/null || echo 1)
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo '?')
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo '?')
  corp=$(grep -o 'corp: [0-9]*' <<<"$last" | grep -o '[0-9]*' || echo '?')
  result=ok
  if [ "$rc" -ne 0 ]; then
    result="FAILED (exit $rc): $log"
    status=1
  fi
  printf '%-20s %10s %8s %8s %8s %8s %s\n' "$h" "$execs" "$rate" "$cov" "$ft" "$corp" "$result"
done
if [ "$status" -ne 0 ]; then
  echo "A harness failed; its input is in $build/artifacts/ (docs/fuzzing.md: reproduce, fix, add a test)." >&2
  for h in "${harnesses[@]}"; do
    grep -E 'ERROR|SUMMARY|#[0-9]+ 0x' "$build/artifacts/$h.log" 2>/dev/null | head -30 >&2 || true
  done
fi
exit $status
