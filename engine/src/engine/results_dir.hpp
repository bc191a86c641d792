// Chooses and creates a run's results folder: BASE[/YYYY/MM/DD][/YYYYMMDD_HHMMSS],
// by the output flags, from the local wall-clock time of the run's start.
#pragma once

#include <string>

#include "qtrader/config.hpp"

namespace qtrader {

std::string make_results_dir(const std::string& base, const OutputConfig& output);

}  // namespace qtrader
