#!/usr/bin/env bash
# The report scenario of docs/benchmarks.md: `qtrader report` (metrics.json,
# metrics_daily.csv, report.html) on the results folder of the 1000 x 2520
# benchmark run with every event in events.sqlite (scenario 2: price charts
# for the 12 most traded symbols), timed whole with GNU time.
# Usage: bench/report_bench.sh [RUNS=5]   (after ./setup.sh)
# Prints the median wall and CPU (user + sys) time of RUNS runs, and the
# size of report.html.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bench_common.sh  # gen, work, median, ensure_universe
runs=${1:-5}
qtrader=build/apps/qtrader
[ -x "$qtrader" ] && [ -x "$gen" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
mkdir -p "$work"
ensure_universe
syms=$(paste -sd, "$work/universe/symbols.txt")
cat > "$work/report_sources.yaml" <<YAML
sources:
  universe: {adapter: csv, path: universe, layout: yahoo}
YAML
write_bench_system "$work/report_system.yaml" sqlite report_sources.yaml
write_sma_universe_backtest "$work/report_run.yaml" "$syms" 2000-01-01 2010-12-31
# The run once (its results folder is reused while the binary is unchanged).
dir=$work/report-run
if [ ! -f "$dir/summary.json" ] || [ "$qtrader" -nt "$dir/summary.json" ]; then
  rm -rf "$dir"
  out=$("$qtrader" run "$work/report_run.yaml" --system "$work/report_system.yaml" \
        --output "$work/report-results" --quiet --no-report)
  mv "$out" "$dir"
fi
walls=() cpus=()
"$qtrader" report "$dir" >/dev/null  # warm the page cache
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %U %S %M" -o "$work/report_time.txt" "$qtrader" report "$dir" >/dev/null
  read -r w u s m < "$work/report_time.txt"
  walls+=("$w"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')")
done
size=$(stat -c %s "$dir/report.html")
printf 'report + metrics, 1000x2520 sma_crossover (%s trades): wall %s s, cpu %s s, report.html %.2f MB (median of %d)\n' \
  "$(grep -o '"trades": [0-9]*' "$dir/summary.json" | head -1 | grep -o '[0-9]*$')" \
  "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)" \
  "$(awk -v b="$size" 'BEGIN {print b / 1e6}')" "$runs"
