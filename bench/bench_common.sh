# What the benchmark scripts share; sourced after `cd` to the repository root.
# Sets gen and work (the generator and the scratch folder, both in build/).
gen=build/bench/generate_universe
work=build/bench-work

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# The generated 1000 symbols x 2520 days universe of run_benchmarks.sh, made once.
ensure_universe() {
  if [ ! -f "$work/universe/symbols.txt" ]; then
    [ -x "$gen" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
    "$gen" data/sample "$work/universe" 1000 2520 >/dev/null
  fi
}

# FILE: a system.yaml of the benchmarks: event store STORE (memory, sqlite,
# none), warnings only, no run.log, sources from SOURCES; EXTRA lines appended.
write_bench_system() {  # FILE STORE SOURCES [EXTRA]
  cat > "$1" <<YAML
output:
  default_results_dir: results
  event_store: {backend: $2, filename: events.sqlite}
  organize_by_date: false
logging: {level: warn, file: false}
data: {sources_config: $3}
${4:-}
YAML
}

# FILE: the SMA crossover on SYMS (comma-separated) from START to END,
# fixed quantity 10 — the universe scenarios' backtest.
write_sma_universe_backtest() {  # FILE SYMS START END
  cat > "$1" <<YAML
start_date: $3
end_date: $4
initial_equity: 100000000
data:
  sources: [{name: universe, universe: [$2]}]
strategies:
  - {strategy_id: s, name: sma_crossover, universe: [$2]}
risk_policy: {name: fixed_quantity, config: {quantity: 10}}
YAML
}

# DIR/{data_sources,system,sma100}.yaml: the SMA crossover on the universe's
# first 100 symbols, memory event store, for the sweep benchmarks.
write_sma100_sweep_files() {
  local dir=$1 syms
  syms=$(head -n 100 "$work/universe/symbols.txt" | paste -sd,)
  mkdir -p "$dir"
  cat > "$dir/data_sources.yaml" <<YAML
sources:
  universe: {adapter: csv, path: ../universe, layout: yahoo}
YAML
  write_bench_system "$dir/system.yaml" memory data_sources.yaml
  write_sma_universe_backtest "$dir/sma100.yaml" "$syms" 2000-01-01 2010-12-31
}
