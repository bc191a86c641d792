#!/usr/bin/env bash
# The tick benchmark (docs/benchmarks.md "Ticks"): one year of one symbol's
# trade ticks (25 million rows from a seeded model, generated once into
# build/bench-ticks, never committed), consolidated by the engine into
# 1-minute bars, with the sma_crossover strategy, through `qtrader run`.
# Usage: bench/ticks/run_tick_bench.sh [RUNS=5] [TICKS=25000000] [STRATEGY=sma_crossover] [CACHE=off]
# Prints each run's wall time and peak RSS (GNU time), then the median.
# CACHE=off (default): every run folds the ticks again (bar cache disabled).
# CACHE=on: the bar cache in build/bench-ticks/bar-cache is emptied first, so
# run 1 folds the ticks and writes the cache and runs 2.. read the cached bars.
# STRATEGY=NAME: a second strategy (a script in bench/ticks or a built-in),
# run next to sma_crossover on the 1-minute bars; tick_counter takes every
# trade through on_tick (docs/data.md "Ticks to strategies").
# QTRADER=path: the binary to measure (default build/apps/qtrader).
# Prints the median of wall time and of CPU time (user + sys).
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
ticks=${2:-25000000}
strategy=${3:-sma_crossover}
cache=${4:-off}
qtrader=${QTRADER:-build/apps/qtrader}
work=build/bench-ticks
[ -x "$qtrader" ] || { echo "build first: cmake --build build --target qtrader" >&2; exit 2; }
mkdir -p "$work/data"
if [ ! -f "$work/data/TICK.csv" ] || [ "$(cat "$work/ticks.count" 2>/dev/null)" != "$ticks" ]; then
  g++ -std=c++20 -O2 -o "$work/generate_ticks" bench/ticks/generate_ticks.cpp
  "$work/generate_ticks" "$work/data/TICK.csv" "$ticks" 42
  echo "$ticks" > "$work/ticks.count"
fi
cat > "$work/data_sources.yaml" <<YAML
sources:
  ticks: {path: data, kind: ticks, bar_size: 1m, timezone: UTC}
YAML
cat > "$work/system.yaml" <<YAML
output:
  default_results_dir: results
  event_store: {backend: sqlite, filename: events.sqlite}
  organize_by_date: false
logging: {level: warn, file: false}
data:
  sources_config: data_sources.yaml
  bar_cache: {enabled: $([ "$cache" = on ] && echo true || echo false), dir: bar-cache}
YAML
rm -rf "$work/bar-cache"
cat > "$work/ticks_sma.yaml" <<YAML
start_date: 2024-01-01
end_date: 2024-12-31
initial_equity: 1000000
data:
  sources: [{name: ticks, universe: [TICK]}]
script_paths: [$(pwd)/bench/ticks]
strategies:
  - {strategy_id: sma, name: sma_crossover, universe: [TICK], config: {fast: 10, slow: 30}}
$([ "$strategy" = sma_crossover ] || echo "  - {strategy_id: probe, name: $strategy, universe: [TICK]}")
risk_policy: {name: fixed_quantity, config: {quantity: 100}}
YAML
walls=()
cpus=()
for i in $(seq "$runs"); do
  rm -rf "$work/results"
  if ! /usr/bin/time -o "$work/time.txt" -f '%e %M %U %S' "$qtrader" run --quiet --no-report \
       --system "$work/system.yaml" "$work/ticks_sma.yaml" --output "$work/results" >/dev/null; then
    echo "run $i failed" >&2; exit 1
  fi
  read -r wall rss user sys < <(tail -1 "$work/time.txt")
  echo "run $i: $wall s wall, $user s user + $sys s sys, $rss KB peak RSS"
  walls+=("$wall")
  cpus+=("$(echo "$user $sys" | awk '{print $1 + $2}')")
done
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "median: $(printf '%s\n' "${walls[@]}" | median) s wall, $(printf '%s\n' "${cpus[@]}" | median) s CPU"
