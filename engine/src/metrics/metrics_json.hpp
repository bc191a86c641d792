// metrics.json as a JSON tree, for the report's data block (which used to
// print metrics.json and parse it back).
#pragma once

#include <nlohmann/json.hpp>

#include "qtrader/results.hpp"

namespace qtrader::metrics {

nlohmann::ordered_json metrics_tree(const Metrics& m);

}  // namespace qtrader::metrics
