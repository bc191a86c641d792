#!/usr/bin/env bash
# Peak RSS against the run's length: the 1000-symbol universe of
# run_benchmarks.sh, sma_crossover, no report, over 2, 5 and 10 years, with
# each event store given (default: memory none). Prints one line per store
# and length: median wall time and median peak RSS of RUNS runs.
# Usage: bench/memory_by_length.sh [RUNS=3] [QTRADER=build/apps/qtrader] [STORES="memory none"]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bench_common.sh  # gen, work, median, ensure_universe
runs=${1:-3}
qtrader=${2:-build/apps/qtrader}
stores=${3:-memory none}
[ -x "$qtrader" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
ensure_universe
dir=$work/by-length
mkdir -p "$dir"
syms=$(paste -sd, "$work/universe/symbols.txt")
cat > "$dir/data_sources.yaml" <<YAML
sources:
  universe: {adapter: csv, path: ../universe, layout: yahoo}
YAML
for store in $stores; do
  write_bench_system "$dir/system_$store.yaml" "$store" data_sources.yaml
done
# The universe's calendar starts on 2000-01-03.
for years in 2 5 10; do
  write_sma_universe_backtest "$dir/y$years.yaml" "$syms" 2000-01-01 "$((1999 + years))-12-31"
done
run() { /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$qtrader" run "$dir/y$1.yaml" --system "$dir/system_$2.yaml" \
          --output "$dir/results" --quiet --no-report >/dev/null; }
run 2 "${stores%% *}"  # fills the bar cache
for years in 2 5 10; do
  for store in $stores; do
    walls=() rss=()
    for _ in $(seq "$runs"); do
      run "$years" "$store"
      read -r w m < "$dir/time.txt"
      walls+=("$w"); rss+=("$m")
    done
    printf '%-7s %2d years: %6.2f s, peak RSS %4.0f MB  (median of %d)\n' "$store" "$years" \
      "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${rss[@]}" | median | awk '{print $1/1024}')" "$runs"
  done
done
rm -rf "$dir/results"
