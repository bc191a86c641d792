#!/usr/bin/env bash
# Parallel sweep scaling: a 40-point grid (fast=5:40:5 x slow=50:250:50) of
# the SMA crossover on 100 symbols x 2520 bars of the generated universe, run
# with --jobs 1 and --jobs 2. Prints the median wall time, points/s and the
# ratio. Usage: bench/sweep_scaling.sh [RUNS] [QTRADER]  (default 5 runs,
# build/apps/qtrader). Needs GNU time and the universe of run_benchmarks.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/bench_common.sh  # gen, work, median, ensure_universe
runs=${1:-5}
qtrader=${2:-build/apps/qtrader}
[ -x "$qtrader" ] || { echo "build first: ./setup.sh" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }
mkdir -p "$work/sweep"
ensure_universe

write_sma100_sweep_files "$work/sweep"


load=$(cut -d' ' -f1-3 /proc/loadavg)
# One point alone, for scale.
one=()
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e" -o "$work/sweep/time.txt" "$qtrader" run "$work/sweep/sma100.yaml" \
    --system "$work/sweep/system.yaml" --output "$work/sweep/runs" --quiet --no-report \
    --param fast=20 --param slow=150 >/dev/null
  one+=("$(cat "$work/sweep/time.txt")")
done
rm -rf "$work/sweep/runs"

# Wall time, and CPU time of the parent and its workers: when the CPU time
# stays flat from 1 to 2 jobs, the sweep itself adds no work and the wall
# time is bounded only by the cores it gets (other load on the machine shows
# as a lower speed-up, not as more CPU time).
declare -A wall cpu
for jobs in 1 2; do
  walls=() cpus=()
  for _ in $(seq "$runs"); do
    rm -rf "$work/sweep/out"
    /usr/bin/time -f "%e %U %S" -o "$work/sweep/time.txt" "$qtrader" sweep "$work/sweep/sma100.yaml" \
      --system "$work/sweep/system.yaml" --output "$work/sweep/out" --quiet --jobs "$jobs" \
      --param fast=5:40:5 --param slow=50:250:50 >/dev/null
    read -r w u s < "$work/sweep/time.txt"
    walls+=("$w"); cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}')")
  done
  wall[$jobs]=$(printf '%s\n' "${walls[@]}" | median)
  cpu[$jobs]=$(printf '%s\n' "${cpus[@]}" | median)
done
points=$(($(wc -l < "$work/sweep/out/sweep.csv") - 1))
rm -rf "$work/sweep/out"

echo "sweep scaling on $(nproc) cores, $(uname -m); 100 symbols x 2520 bars, $points points; median of $runs"
echo "load average before: $load"
printf '%s\n' "${one[@]}" | median | awk '{printf "one point alone (qtrader run)   %7.3f s\n", $1}'
for jobs in 1 2; do
  awk -v j="$jobs" -v w="${wall[$jobs]}" -v c="${cpu[$jobs]}" -v p="$points" \
    'BEGIN { printf "sweep --jobs %d                 %7.3f s  %6.2f points/s  (%.2f s CPU)\n", j, w, p / w, c }'
done
awk -v a="${wall[1]}" -v b="${wall[2]}" 'BEGIN { printf "speed-up, 2 jobs over 1         %7.2fx\n", a / b }'
