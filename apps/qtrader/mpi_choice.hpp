#pragma once

#include <optional>

namespace qtrader::cli {

// Whether a sweep or a walk-forward runs on MPI: `--mpi`, or a start under
// mpirun (docs/cluster.md). std::nullopt, after printing why, when `--mpi`
// is asked of a qtrader built without MPI (exit status 2).
std::optional<bool> mpi_choice(bool mpi_flag);

}  // namespace qtrader::cli
