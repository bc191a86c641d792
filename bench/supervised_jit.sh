#!/usr/bin/env bash
# Strict mode's two JIT settings (docs/sandbox.md, "Supervised strict mode"),
# alternately, run by run, so a shared host's drift falls on both alike:
#   off         sandbox.jit: off — in-process, the JIT off
#   supervised  sandbox.jit: supervised — a child with the JIT on, its calls
#               watched by the parent (the default)
# Usage: bench/supervised_jit.sh [RUNS=5] [QTRADER=build/apps/qtrader]
# Per scenario and setting: the median user + sys CPU (GNU time, 10 ms steps:
# the parent and the child it reaped), wall time (bash's microsecond clock,
# GNU time's own start-up included alike) and peak RSS.
#   scenario 1  1000 x 2520 sma_crossover, memory store, no report (RUNS runs)
#   scenario 4  10 x ORCL 1995-2014 sma_crossover, whole process (4 x RUNS + 1)
#   start-up    1 x ORCL 2010, whole process: what the fork adds (4 x RUNS + 1)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bench_common.sh  # gen, work, median, ensure_universe
runs=${1:-5}
qtrader=${2:-build/apps/qtrader}
[ -x "$qtrader" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
ensure_universe
dir=$work/supervised_jit
mkdir -p "$dir" "$work/orcl10"
for i in $(seq -w 0 9); do cp -n data/sample/ORCL.csv "$work/orcl10/ORCL$i.csv"; done
cat > "$dir/data_sources.yaml" <<YAML
sources:
  universe: {adapter: csv, path: ../universe, layout: yahoo}
  orcl10: {adapter: csv, path: ../orcl10, layout: yahoo}
YAML
for jit in off supervised; do
  write_bench_system "$dir/system_$jit.yaml" memory data_sources.yaml "sandbox: {mode: strict, jit: $jit}"
done
write_sma_universe_backtest "$dir/s1.yaml" "$(paste -sd, "$work/universe/symbols.txt")" 2000-01-01 2010-12-31
orcl=$(printf 'ORCL%s,' $(seq -w 0 9))
cat > "$dir/s4.yaml" <<YAML
start_date: 1995-01-01
end_date: 2014-12-31
initial_equity: 100000000
data:
  sources: [{name: orcl10, universe: [${orcl%,}]}]
strategies:
  - {strategy_id: s, name: sma_crossover, universe: [${orcl%,}]}
risk_policy: {name: fixed_quantity, config: {quantity: 100}}
YAML
cat > "$dir/startup.yaml" <<YAML
start_date: 2010-01-01
end_date: 2010-12-31
initial_equity: 100000
data:
  sources: [{name: orcl10, universe: [ORCL0]}]
strategies:
  - {strategy_id: s, name: sma_crossover, universe: [ORCL0]}
risk_policy: {name: fixed_quantity, config: {quantity: 100}}
YAML

scenario() {  # label backtest runs
  local label=$1 bt=$2 n=$3 jit
  declare -A cpu wall rss
  for jit in off supervised; do  # untimed: fills the bar and description caches
    "$qtrader" run "$dir/$bt.yaml" --system "$dir/system_$jit.yaml" --output "$dir/results" --quiet --no-report >/dev/null
  done
  for _ in $(seq "$n"); do
    for jit in off supervised; do
      t0=$EPOCHREALTIME
      /usr/bin/time -f "%U %S %M" -o "$dir/time.txt" "$qtrader" run "$dir/$bt.yaml" \
        --system "$dir/system_$jit.yaml" --output "$dir/results" --quiet --no-report >/dev/null
      t1=$EPOCHREALTIME
      read -r u s m < "$dir/time.txt"
      cpu[$jit]+="$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }') "
      wall[$jit]+="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') "
      rss[$jit]+="$m "
    done
    rm -rf "$dir/results"
  done
  for jit in off supervised; do
    printf '%-34s %-11s cpu %7.3f s  wall %7.3f s  peak RSS %4.0f MB  (median of %d)\n' "$label" "$jit" \
      "$(printf '%s\n' ${cpu[$jit]} | median)" "$(printf '%s\n' ${wall[$jit]} | median)" \
      "$(printf '%s\n' ${rss[$jit]} | median | awk '{print $1 / 1024}')" "$n"
  done
}

echo "strict mode, JIT off vs supervised, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
scenario "1. 1000x2520 sma, memory, no report" s1 "$runs"
scenario "4. 10 x ORCL 1995-2014, whole run" s4 $((4 * runs + 1))
scenario "start-up, 1 x ORCL 2010" startup $((4 * runs + 1))
