#!/usr/bin/env bash
# Reproducible benchmarks of whole runs, with public tools only (GNU time).
# Usage: bench/run_benchmarks.sh [RUNS]   (after ./setup.sh; default 5 runs each)
# Prints, per scenario, the median wall time, bars/s, events/s and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bench_common.sh  # gen, work, median, ensure_universe
runs=${1:-5}
qtrader=build/apps/qtrader
edit_rerun=build/bench/edit_rerun
[ -x "$qtrader" ] && [ -x "$gen" ] && [ -x "$edit_rerun" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
mkdir -p "$work"

# Data: 1000 symbols x 2520 bars derived from data/sample (fixed seed), and 10
# copies of ORCL under different names (the backtrader comparison).
ensure_universe
mkdir -p "$work/orcl10"
for i in $(seq -w 0 9); do cp -n data/sample/ORCL.csv "$work/orcl10/ORCL$i.csv"; done
syms=$(paste -sd, "$work/universe/symbols.txt")
orcl=$(printf 'ORCL%s,' $(seq -w 0 9)); orcl=${orcl%,}

cat > "$work/data_sources.yaml" <<YAML
sources:
  universe: {adapter: csv, path: universe, layout: yahoo}
  orcl10: {adapter: csv, path: orcl10, layout: yahoo}
YAML
for backend in memory sqlite; do
  write_bench_system "$work/system_$backend.yaml" "$backend" data_sources.yaml
done
backtest() {  # name strategy source symbols quantity start end
  cat > "$work/$1.yaml" <<YAML
start_date: $6
end_date: $7
initial_equity: 100000000
script_paths: [$(pwd)/bench/strategies]
data:
  sources: [{name: $3, universe: [$4]}]
strategies:
  - {strategy_id: s, name: $2, universe: [$4]}
risk_policy: {name: fixed_quantity, config: {quantity: $5}}
YAML
}
backtest s1_sma sma_crossover universe "$syms" 10 2000-01-01 2010-12-31
backtest s3_empty empty_on_bar universe "$syms" 10 2000-01-01 2010-12-31
backtest s4_orcl10 sma_crossover orcl10 "$orcl" 100 1995-01-01 2014-12-31


scenario() {  # label backtest system
  local label=$1 bt=$2 system=$3 walls=() rss=() dir
  # One untimed run first: it fills the binary bar cache (data.bar_cache) on
  # the first use of a universe; the timed runs then read the cache, as every
  # later run on the same files does.
  "$qtrader" run "$work/$bt.yaml" --system "$work/$system.yaml" --output "$work/results" --quiet --no-report >/dev/null
  for _ in $(seq "$runs"); do
    dir=$(/usr/bin/time -f "%e %M" -o "$work/time.txt" "$qtrader" run "$work/$bt.yaml" \
          --system "$work/$system.yaml" --output "$work/results" --quiet --no-report)
    read -r w m < "$work/time.txt"
    walls+=("$w"); rss+=("$m")
  done
  local summary="$dir/summary.json"
  local bars events
  bars=$(grep -o '"bars_processed": [0-9]*' "$summary" | grep -o '[0-9]*$')
  events=$(grep -o '"events": [0-9]*' "$summary" | grep -o '[0-9]*$')
  local wall rss_mb
  wall=$(printf '%s\n' "${walls[@]}" | median)
  rss_mb=$(printf '%s\n' "${rss[@]}" | median | awk '{printf "%.0f", $1/1024}')
  awk -v l="$label" -v w="$wall" -v b="$bars" -v e="$events" -v m="$rss_mb" -v n="$runs" 'BEGIN {
    printf "%-44s %8.3f s %12.0f bars/s %12.0f events/s %6d MB  (median of %d)\n", l, w, b / w, e / w, m, n }'
}

echo "qtrader benchmarks on $(nproc) cores, $(uname -m); $runs runs each"
scenario "1. 1000x2520 sma_crossover, memory store"  s1_sma    system_memory
scenario "2. 1000x2520 sma_crossover, events.sqlite" s1_sma    system_sqlite
scenario "3. 1000x2520 empty on_bar, memory store"   s3_empty  system_memory
scenario "4. 10 x ORCL 1995-2014 sma_crossover"      s4_orcl10 system_memory

# 5. Edit-and-rerun through the embedding API (what `qtrader watch` does): a
# copy of sma_crossover on the first 100 symbols; each edit changes its `fast`
# default and times the re-run until the results files are written.
s5=$work/s5
root=$(pwd)
mkdir -p "$s5/scripts"
sed 's/name = "sma_crossover"/name = "s5_sma"/' strategies/sma_crossover.lua > "$s5/scripts/s5_sma.lua"
syms100=$(head -100 "$work/universe/symbols.txt" | paste -sd,)
cat > "$s5/bt.yaml" <<YAML
start_date: 2000-01-01
end_date: 2010-12-31
initial_equity: 10000000
script_paths: [scripts]
data:
  sources: [{name: universe, universe: [$syms100]}]
strategies:
  - {strategy_id: s, name: s5_sma, universe: [$syms100]}
risk_policy: {name: fixed_quantity, config: {quantity: 10}}
YAML
for backend in memory sqlite; do
  sed "s|sources_config: data_sources.yaml|sources_config: $root/$work/data_sources.yaml|" \
    "$work/system_$backend.yaml" > "$s5/system_$backend.yaml"
done
echo "5. edit-and-rerun, 100x2520 sma_crossover (embedding API, market data kept in memory):"
(cd "$s5" && "$root/$edit_rerun" bt.yaml system_memory.yaml scripts/s5_sma.lua results "$runs" | tail -1 | sed 's/^/   memory store:            /')
(cd "$s5" && "$root/$edit_rerun" bt.yaml system_sqlite.yaml scripts/s5_sma.lua results "$runs" --report | tail -1 | sed 's/^/   events.sqlite + report:  /')
