#!/usr/bin/env bash
# The Lua boundary per timestamp (docs/benchmarks.md "Speed, round four"):
# scenario 1 (1000 x 2520, memory store, --no-report) and the default
# configuration (config/system.yaml as shipped: events.sqlite, report,
# metrics, run.log) with sma_crossover and with sma_crossover_slice
# (on_slice), each the whole `qtrader run` process under GNU time. With
# BASELINE (an older binary: sma_crossover only) its runs join the rotation.
# Every variant runs once per round, rounds repeated RUNS times, so a shared
# host's drift falls on all alike. Prints each run's user+sys CPU and wall
# time, then the medians.
# SCENARIOS: s1, s1_trusted (scenario 1 with the JIT on), default.
# Usage: bench/slice_boundary.sh [RUNS=5] [QTRADER=build/apps/qtrader] [BASELINE] [SCENARIOS="s1 default"]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bench_common.sh  # work, median, ensure_universe, write_bench_system
runs=${1:-5}
qtrader=${2:-build/apps/qtrader}
baseline=${3:-}
scenarios=${4:-s1 default}
[ -x "$qtrader" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "no such binary: $baseline" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
ensure_universe
dir=$work/slice_boundary
mkdir -p "$dir"
root=$(pwd)
cat > "$dir/data_sources.yaml" <<YAML
sources:
  universe: {adapter: csv, path: $root/$work/universe, layout: yahoo}
YAML
write_bench_system "$dir/s1.yaml" memory "$root/$dir/data_sources.yaml"
write_bench_system "$dir/s1_trusted.yaml" memory "$root/$dir/data_sources.yaml" "sandbox: {mode: trusted}"
sed -e "s|sources_config: data_sources.yaml|sources_config: $root/$dir/data_sources.yaml|" \
    -e "s|default_results_dir: results|default_results_dir: $root/$dir/results|" \
    -e "s|organize_by_date: true |organize_by_date: false|" config/system.yaml > "$dir/default.yaml"
syms=$(paste -sd, "$work/universe/symbols.txt")
for strategy in sma_crossover sma_crossover_slice; do
  write_sma_universe_backtest "$dir/$strategy.yaml" "$syms" 2000-01-01 2010-12-31
  sed -i "s|name: sma_crossover,|name: $strategy,|" "$dir/$strategy.yaml"
done
variants=()  # "scenario binary strategy"
for s in $scenarios; do
  [ -z "$baseline" ] || variants+=("$s $baseline sma_crossover")
  variants+=("$s $qtrader sma_crossover" "$s $qtrader sma_crossover_slice")
done
one_run() {  # scenario binary strategy -> "cpu wall"
  local flags=(--quiet)
  [ "$1" = default ] || flags+=(--no-report --output "$dir/results")
  rm -rf "$dir/results"
  /usr/bin/time -f "%U %S %e" -o "$dir/time.txt" "$2" run "$dir/$3.yaml" --system "$dir/$1.yaml" "${flags[@]}" >/dev/null
  read -r u s w < "$dir/time.txt"
  echo "$(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}') $w"
}
for v in "${variants[@]}"; do one_run $v >/dev/null; done  # warm: bar cache, description cache
declare -A rows
for i in $(seq "$runs"); do
  for v in "${variants[@]}"; do
    r=$(one_run $v)
    echo "run $i: $v: cpu $(cut -d' ' -f1 <<<"$r") s, wall $(cut -d' ' -f2 <<<"$r") s"
    rows[$v]+="$r"$'\n'
  done
done
for v in "${variants[@]}"; do
  col() { printf '%s' "${rows[$v]}" | awk -v c="$1" 'NF {print $c}' | median; }
  printf '%s: median of %d: cpu %.2f s, wall %.2f s\n' "$v" "$runs" "$(col 1)" "$(col 2)"
done
