#!/usr/bin/env bash
# MPI sweep scaling: the grid of bench/sweep_scaling.sh (40 points of the SMA
# crossover on 100 symbols x 2520 bars of the generated universe) as a local
# sweep (--jobs 1, 2) and on MPI (mpirun -n 2 and -n 3: rank 0 coordinates,
# 1 or 2 ranks run points on one worker each), then the coordinator's own cost
# per point: 400 points of a 1-symbol, 20-bar backtest, where the points cost
# next to nothing, and rank 0's own CPU time per point. Prints medians.
# Usage: bench/mpi_scaling.sh [RUNS] [QTRADER]  (default 3 runs, build/apps/qtrader).
# Needs GNU time, mpirun (openmpi-bin) and a qtrader built with QTRADER_WITH_MPI.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bench_common.sh  # gen, work, median, ensure_universe
runs=${1:-3}
qtrader=${2:-build/apps/qtrader}
[ -x "$qtrader" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
command -v mpirun >/dev/null || { echo "needs mpirun (apt-get install openmpi-bin)" >&2; exit 2; }
# In a container as root, on one host: see docs/cluster.md.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpirun=(mpirun --oversubscribe --mca btl self,vader)
mkdir -p "$work/mpi"
ensure_universe
first=$(head -n 1 "$work/universe/symbols.txt")

write_sma100_sweep_files "$work/mpi"
cat > "$work/mpi/tiny.yaml" <<YAML
start_date: 2000-01-01
end_date: 2000-01-31
initial_equity: 100000
data:
  sources: [{name: universe, universe: [$first]}]
strategies:
  - {strategy_id: s, name: sma_crossover, universe: [$first]}
risk_policy: {name: fixed_quantity, config: {quantity: 10}}
YAML


# timed LABEL BACKTEST GRID... -- COMMAND...: the median wall time of RUNS sweeps.
timed() {
  local bt=$1 grid=$2; shift 2
  local walls=()
  for _ in $(seq "$runs"); do
    rm -rf "$work/mpi/out"
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e" -o "$work/mpi/time.txt" "$@" "$qtrader" sweep "$work/mpi/$bt" \
      --system "$work/mpi/system.yaml" --output "$work/mpi/out" --quiet $grid "${extra[@]}" >/dev/null
    walls+=("$(cat "$work/mpi/time.txt")")
  done
  printf '%s\n' "${walls[@]}" | median
}

grid="--param fast=5:40:5 --param slow=50:250:50"
load=$(cut -d' ' -f1-3 /proc/loadavg)
extra=(--jobs 1);  local1=$(timed sma100.yaml "$grid")
extra=(--jobs 2);  local2=$(timed sma100.yaml "$grid")
extra=(--mpi);     mpi2=$(timed sma100.yaml "$grid" "${mpirun[@]}" -n 2)
extra=(--mpi);     mpi3=$(timed sma100.yaml "$grid" "${mpirun[@]}" -n 3)
points=$(($(wc -l < "$work/mpi/out/sweep.csv") - 1))

tiny="--param fast=1:20:1 --param slow=21:40:1"
extra=(--jobs 2);  tiny_local=$(timed tiny.yaml "$tiny")
extra=(--mpi);     tiny_mpi=$(timed tiny.yaml "$tiny" "${mpirun[@]}" -n 3)
tiny_points=$(($(wc -l < "$work/mpi/out/sweep.csv") - 1))
# Rank 0's own CPU time (user + system) over the tiny sweep: the coordinator's cost per point.
rank0=()
for _ in $(seq "$runs"); do
  rm -rf "$work/mpi/out"
  "${mpirun[@]}" -n 3 sh -c 'if [ "$OMPI_COMM_WORLD_RANK" = 0 ]; then exec /usr/bin/time -f "%U %S" -o "$0" "$@"; else exec "$@"; fi' \
    "$work/mpi/rank0.txt" "$qtrader" sweep "$work/mpi/tiny.yaml" --system "$work/mpi/system.yaml" \
    --output "$work/mpi/out" --quiet $tiny --mpi >/dev/null
  rank0+=("$(awk '{print $1 + $2}' "$work/mpi/rank0.txt")")
done
rank0_cpu=$(printf '%s\n' "${rank0[@]}" | median)
rm -rf "$work/mpi/out"

echo "MPI sweep scaling on $(nproc) cores, $(uname -m); median of $runs; load average before: $load"
echo "100 symbols x 2520 bars, $points points:"
row() { awk -v l="$1" -v w="$2" -v p="$3" -v b="$4" \
  'BEGIN { printf "  %-34s %7.2f s  %6.2f points/s  efficiency vs local --jobs 1 x workers: %3.0f%%\n", l, w, p / w, 100 * b / w }'; }
row "local sweep --jobs 1"              "$local1" "$points" "$local1"
row "local sweep --jobs 2"              "$local2" "$points" "$(awk -v a="$local1" 'BEGIN {print a / 2}')"
row "mpirun -n 2 (1 worker rank)"       "$mpi2"   "$points" "$local1"
row "mpirun -n 3 (2 worker ranks)"      "$mpi3"   "$points" "$(awk -v a="$local1" 'BEGIN {print a / 2}')"
echo "1 symbol x 20 bars, $tiny_points points (the coordinator's pace):"
awk -v w="$tiny_local" -v p="$tiny_points" 'BEGIN { printf "  %-34s %7.2f s  %6.1f points/s  %5.2f ms/point\n", "local sweep --jobs 2", w, p / w, 1000 * w / p }'
awk -v w="$tiny_mpi" -v p="$tiny_points" 'BEGIN { printf "  %-34s %7.2f s  %6.1f points/s  %5.2f ms/point\n", "mpirun -n 3 (2 worker ranks)", w, p / w, 1000 * w / p }'
awk -v c="$rank0_cpu" -v p="$tiny_points" 'BEGIN { printf "  rank 0 CPU (check, record, messages) %5.2f s  %5.3f ms/point\n", c, 1000 * c / p }'
