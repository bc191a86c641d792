// A param value as JSON text, for summary.json, the runs table and the
// report: numbers in the shortest form that reads back, integers without a
// fraction, lists and mappings nested.
#pragma once

#include <string>

#include "qtrader/config.hpp"
#include "qtrader/engine.hpp"

namespace qtrader {

std::string param_json(const ParamValue& value);

// One script's resolved params (`values` as the Lua host resolved them).
ScriptParams script_params(std::string owner, std::string name,
                           const std::vector<std::pair<std::string, ParamValue>>& values);

}  // namespace qtrader
