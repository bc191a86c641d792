#!/usr/bin/env bash
# The default configuration (config/system.yaml as shipped: events.sqlite,
# report.html and metrics, run.log) on the 1000 x 2520 universe,
# sma_crossover: the whole `qtrader run` process, timed with GNU time.
# Prints per run: wall, user+sys CPU, peak RSS, events.sqlite and report.html
# sizes; then the medians. With BASELINE (another qtrader binary) the two run
# alternately, run by run, so a shared host's drift falls on both alike.
# Usage: bench/default_config.sh [RUNS=3] [QTRADER=build/apps/qtrader] [BASELINE] [EXTRA_OUTPUT_YAML]
# EXTRA_OUTPUT_YAML, e.g. "form: full", is added under output.event_store.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bench_common.sh  # work, median, ensure_universe
runs=${1:-3}
qtrader=${2:-build/apps/qtrader}
baseline=${3:-}
extra=${4:-}
[ -x "$qtrader" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "no such binary: $baseline" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
ensure_universe
dir=$work/default_config
mkdir -p "$dir"
root=$(pwd)
cat > "$dir/data_sources.yaml" <<YAML
sources:
  universe: {adapter: csv, path: $root/$work/universe, layout: yahoo}
YAML
# The shipped system.yaml, with only the sources file and the results folder moved.
sed -e "s|sources_config: data_sources.yaml|sources_config: $root/$dir/data_sources.yaml|" \
    -e "s|default_results_dir: results|default_results_dir: $root/$dir/results|" \
    -e "s|organize_by_date: true |organize_by_date: false|" config/system.yaml > "$dir/system.yaml"
if [ -n "$extra" ]; then
  sed -i "s|    filename: events.sqlite|    filename: events.sqlite\n    $extra|" "$dir/system.yaml"
  # a later key of the same name would be a duplicate: drop the shipped one
  key=${extra%%:*}
  awk -v k="    $key:" 'index($0, k) == 1 { if (seen++) next } { print }' "$dir/system.yaml" > "$dir/system.tmp" && mv "$dir/system.tmp" "$dir/system.yaml"
fi
# An older binary knows no `form:` key: its file leaves it out.
grep -v '^    form:' "$dir/system.yaml" > "$dir/system_baseline.yaml"
write_sma_universe_backtest "$dir/backtest.yaml" "$(paste -sd, "$work/universe/symbols.txt")" 2000-01-01 2010-12-31
binaries=("$qtrader")
[ -z "$baseline" ] || binaries+=("$baseline")
one_run() {  # binary -> "wall cpu rss_kb sqlite_bytes report_bytes"
  local system=$dir/system.yaml
  [ "$1" != "$baseline" ] || system=$dir/system_baseline.yaml
  rm -rf "$dir/results"
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$1" run "$dir/backtest.yaml" --system "$system" --quiet >/dev/null
  local run_dir
  run_dir=$(ls -d "$dir"/results/*/ | head -1)
  read -r w u s m < "$dir/time.txt"
  echo "$w $(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}') $m $(stat -c %s "$run_dir/events.sqlite") $(stat -c %s "$run_dir/report.html")"
}
for b in "${binaries[@]}"; do one_run "$b" >/dev/null; done  # warm: bar cache, description cache
declare -A rows
for i in $(seq "$runs"); do
  for b in "${binaries[@]}"; do
    r=$(one_run "$b")
    echo "$b run $i: wall $(cut -d' ' -f1 <<<"$r") s, cpu $(cut -d' ' -f2 <<<"$r") s, rss $(($(cut -d' ' -f3 <<<"$r") / 1024)) MB, events.sqlite $(($(cut -d' ' -f4 <<<"$r") / 1048576)) MB, report.html $(($(cut -d' ' -f5 <<<"$r") / 1024)) KB"
    rows[$b]+="$r"$'\n'
  done
done
for b in "${binaries[@]}"; do
  col() { printf '%s' "${rows[$b]}" | awk -v c="$1" 'NF {print $c}' | median; }
  printf '%s: median of %d: wall %.2f s, cpu %.2f s, rss %.0f MB, events.sqlite %.1f MB, report.html %.2f MB\n' \
    "$b" "$runs" "$(col 1)" "$(col 2)" "$(echo "$(col 3) / 1024" | bc -l)" "$(echo "$(col 4) / 1048576" | bc -l)" \
    "$(echo "$(col 5) / 1048576" | bc -l)"
done
