#include "mpi_choice.hpp"

#include <fmt/format.h>

#if QTRADER_WITH_MPI
#include "cluster/mpi_sweep.hpp"
#endif

namespace qtrader::cli {

std::optional<bool> mpi_choice(bool mpi_flag) {
#if QTRADER_WITH_MPI
  return mpi_flag || started_under_mpi();
#else
  if (!mpi_flag) return false;
  fmt::print(stderr, "error: --mpi: this qtrader was built without MPI (QTRADER_WITH_MPI, docs/cluster.md)\n");
  return std::nullopt;
#endif
}

}  // namespace qtrader::cli
