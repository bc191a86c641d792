#!/usr/bin/env bash
# Resting orders (issue #14, "unbounded work"): bars/s of a run of ORCL
# 1995-2014 (5,036 daily bars, an SMA crossover) beside a strategy that
# places N sell orders far from the market on its first bar (N = 0, 1,000,
# 10,000; tests/fixtures/strategies/resting_flood.lua) and leaves them resting,
# and the wall time of the red team's case: 10,000 new resting orders on each
# of 39 bars (390,000, of which the default cap accepts 10,000).
# Median of RUNS runs, event store in memory, no report.
# Usage: bench/resting_orders.sh [RUNS] [QTRADER]  (default 5, build/apps/qtrader)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bench_common.sh  # gen, work, median, ensure_universe
runs=${1:-5}
qtrader=${2:-build/apps/qtrader}
limit=${LIMIT:-300}   # seconds before a run counts as "did not finish"
work=build/bench-work/resting
[ -x "$qtrader" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
mkdir -p "$work"
root=$(pwd)

cat > "$work/data_sources.yaml" <<YAML
sources:
  sample: {adapter: csv, path: $root/data/sample, layout: yahoo}
YAML
cat > "$work/system.yaml" <<YAML
output:
  default_results_dir: results
  event_store: {backend: memory, filename: events.sqlite}
  organize_by_date: false
logging: {level: error, file: false}
data: {sources_config: data_sources.yaml}
YAML
backtest() {  # name end_date
  cat > "$work/$1.yaml" <<YAML
start_date: 1995-01-03
end_date: $2
initial_equity: 100000
script_paths: [$root/tests/fixtures/strategies]
data:
  sources: [{name: sample, universe: [ORCL]}]
strategies:
  - {strategy_id: sma, name: sma_crossover, universe: [ORCL]}
  - {strategy_id: flood, name: resting_flood, universe: [ORCL]}
risk_policy: {name: fixed_quantity, config: {quantity: 100}}
YAML
}
backtest long 2014-12-31
backtest short 1995-03-31   # 61 bars

# Wall seconds of one run, or "DNF" past the limit.
one_run() {  # backtest per_bar bars
  rm -rf "$work/out"
  if /usr/bin/time -f "%e" -o "$work/time.txt" timeout "$limit" "$qtrader" run "$work/$1.yaml" \
       --system "$work/system.yaml" --output "$work/out" --quiet --no-report \
       --param flood.per_bar="$2" --param flood.bars="$3" >/dev/null 2>"$work/stderr.txt"; then
    tail -n 1 "$work/time.txt"
  else
    echo DNF
  fi
}

echo "resting orders on $(nproc) cores, $(uname -m); $qtrader; median of $runs"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$qtrader" run "$work/long.yaml" --system "$work/system.yaml" --output "$work/out" --quiet --no-report \
  --param flood.per_bar=0 >/dev/null  # warms the bar cache
bars=5036
for n in 0 1000 10000; do
  times=()
  for _ in $(seq "$runs"); do times+=("$(one_run long "$n" 1)"); done
  if printf '%s\n' "${times[@]}" | grep -q DNF; then
    echo "$n resting orders, $bars bars: did not finish in ${limit} s"
  else
    t=$(printf '%s\n' "${times[@]}" | median)
    echo "$n resting orders, $bars bars: ${t} s, $(awk -v b=$bars -v t="$t" 'BEGIN {printf "%.0f", b / t}') bars/s"
  fi
done
times=()
for _ in $(seq "$runs"); do
  times+=("$(one_run short 10000 39)")
  [ "${times[-1]}" = DNF ] && break
done
if printf '%s\n' "${times[@]}" | grep -q DNF; then
  echo "10000 new resting orders on each of 39 bars (61 bars): did not finish in ${limit} s"
else
  echo "10000 new resting orders on each of 39 bars (61 bars): $(printf '%s\n' "${times[@]}" | median) s"
fi
rm -rf "$work/out"
