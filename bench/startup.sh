#!/usr/bin/env bash
# Start-up: the whole `qtrader run` process on a short backtest (1 symbol x
# 1 year of ORCL, sma_crossover, memory event store, no report), timed from
# exec to exit. Prints the median of RUNS runs and the peak RSS.
# Usage: bench/startup.sh [RUNS=21] [QTRADER=build/apps/qtrader] [SANDBOX=strict|trusted] [BASELINE]
# With BASELINE (another qtrader binary, e.g. an older build whose
# share/qtrader sits beside it) the two run alternately, run by run, so a
# shared host's drift falls on both alike; each gets its own line.
# A first untimed run fills the bar cache and the script description cache,
# as any earlier run on the same files and scripts does.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bench_common.sh  # work, median
runs=${1:-21}
qtrader=${2:-build/apps/qtrader}
mode=${3:-strict}
baseline=${4:-}
[ -x "$qtrader" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "no such binary: $baseline" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
dir=$work/startup
mkdir -p "$dir/data"
cp -n data/sample/ORCL.csv "$dir/data/ORCL.csv"
cat > "$dir/data_sources.yaml" <<YAML
sources:
  one: {adapter: csv, path: data, layout: yahoo}
YAML
write_bench_system "$dir/system.yaml" memory data_sources.yaml "sandbox: {mode: $mode}"
cat > "$dir/backtest.yaml" <<YAML
start_date: 2010-01-01
end_date: 2010-12-31
initial_equity: 100000
data:
  sources: [{name: one, universe: [ORCL]}]
strategies:
  - {strategy_id: s, name: sma_crossover, universe: [ORCL]}
risk_policy: {name: fixed_quantity, config: {quantity: 100}}
YAML
run() { "$1" run "$dir/backtest.yaml" --system "$dir/system.yaml" --output "$dir/results" --quiet --no-report >/dev/null; }
binaries=("$qtrader")
[ -z "$baseline" ] || binaries=("$baseline" "$qtrader")
for q in "${binaries[@]}"; do run "$q"; done
# Wall time from bash's microsecond clock (GNU time's %e has 10 ms steps);
# peak RSS from one more run under GNU time.
declare -A walls
for _ in $(seq "$runs"); do
  for q in "${binaries[@]}"; do
    t0=$EPOCHREALTIME; run "$q"; t1=$EPOCHREALTIME
    walls[$q]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') "
  done
done
for q in "${binaries[@]}"; do
  /usr/bin/time -f "%M" -o "$dir/time.txt" "$q" run "$dir/backtest.yaml" --system "$dir/system.yaml" \
    --output "$dir/results" --quiet --no-report >/dev/null
  wall=$(printf '%s\n' ${walls[$q]} | median)
  rss_mb=$(awk '{printf "%.1f", $1/1024}' "$dir/time.txt")
  awk -v w="$wall" -v m="$rss_mb" -v n="$runs" -v q="$q" -v s="$mode" \
    'BEGIN { printf "start-up, 1 x ORCL 2010, %s (%s): %.1f ms, peak RSS %s MB  (median of %d)\n", q, s, w * 1000, m, n }'
done
rm -rf "$dir/results"
