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
  cat > "$dir/system.yaml" <<YAML
output:
  default_results_dir: results
  event_store: {backend: memory, filename: events.sqlite}
  organize_by_date: false
logging: {level: warn, file: false}
data: {sources_config: data_sources.yaml}
YAML
  cat > "$dir/sma100.yaml" <<YAML
start_date: 2000-01-01
end_date: 2010-12-31
initial_equity: 100000000
data:
  sources: [{name: universe, universe: [$syms]}]
strategies:
  - {strategy_id: s, name: sma_crossover, universe: [$syms]}
risk_policy: {name: fixed_quantity, config: {quantity: 10}}
YAML
}
