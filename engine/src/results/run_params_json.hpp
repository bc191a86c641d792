// What a run was asked to do, as one JSON object: each script's resolved
// params by owner ({"sma": {"name": "sma_crossover", "params": {...}},
// "risk_policy": {...}}) and the --param overrides. summary.json, the runs
// table of events.sqlite and the report all carry this same object.
#pragma once

#include <string>
#include <vector>

#include "qtrader/engine.hpp"

namespace qtrader {

std::string run_params_json(const std::vector<ScriptParams>& params,
                            const std::vector<std::string>& overrides);

}  // namespace qtrader
