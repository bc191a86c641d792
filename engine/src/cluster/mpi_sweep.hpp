// A sweep on MPI (docs/cluster.md): every rank of `mpirun -n N qtrader sweep
// ... --mpi` calls run_mpi_sweep. Rank 0 is the coordinator: it owns the
// grid and the sweep's folder (SweepSession, as a local sweep), hands one
// point at a time to the rank that asks (a work queue: points differ in
// cost) and records each row as it arrives. Every other rank reads the market
// data once and runs its points in forked workers (WorkerPool, PointRunner),
// so a crashing or killed point costs one worker, never the rank, and its
// death reaches rank 0 as a local sweep's would (run once more, then a
// failed row).
#pragma once

#include <string>

#include "qtrader/sweep.hpp"
#include "qtrader/walk_forward.hpp"

namespace qtrader {

// True when Open MPI's mpirun started the process with more than one rank
// (OMPI_COMM_WORLD_SIZE > 1), read without initialising MPI. Under srun,
// give --mpi.
bool started_under_mpi();

struct MpiSweepOutcome {
  int rank = 0;
  int ranks = 1;
  SweepResult result;        // the sweep, on rank 0
  bool interrupted = false;  // stopped by a signal (rank 0: result.interrupted too)
};

// Runs the sweep over MPI_COMM_WORLD (MPI is initialised and finalised
// here). With one rank it is a local sweep of options.jobs workers; with N,
// N-1 ranks each run points on options.jobs forked workers. Throws on rank 0
// as run_sweep does (the other ranks then return with `result` empty).
MpiSweepOutcome run_mpi_sweep(const SweepOptions& options);

struct MpiWalkForwardOutcome {
  int rank = 0;
  int ranks = 1;
  WalkForwardResult result;  // on rank 0
  bool interrupted = false;
};

// Walk-forward optimisation with each window's training sweep on the ranks
// (as run_mpi_sweep); rank 0 runs the test spans and writes the folder as
// run_walk_forward does. The other ranks read the market data once for all
// windows. Throws on rank 0 as run_walk_forward does.
MpiWalkForwardOutcome run_mpi_walk_forward(const WalkForwardOptions& options);

}  // namespace qtrader
