// Parameters a script declares (`params = {...}` in the returned table) and
// their merge with a backtest's `config:` overrides.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "qtrader/config.hpp"

namespace qtrader {

enum class ParamType { Number, Integer, Boolean, String, List };
const char* to_string(ParamType) noexcept;

// One declared parameter: either a plain default (`fast = 10`, type inferred:
// number, boolean or string) or a table {default=, type=, min=, max=, description=}
// with type one of "number", "integer", "boolean", "string", "list". A "list"
// param has a table default and takes a YAML list or mapping (nested freely);
// it also takes a string, so a script may keep accepting a compact written form
// (risk budgets: "trend=0.6, meanrev=0.4") and parse it itself.
struct ParamSpec {
  std::string name;
  ParamType type = ParamType::Number;
  ParamValue default_value;  // kind Number, Bool, String, or List/Map for a list param
  std::optional<double> min, max;
  std::string description;
};

using ResolvedParams = std::vector<std::pair<std::string, ParamValue>>;  // sorted by name

// Declared defaults, overridden by `overrides`. Throws ConfigError at the
// override's YAML line for an unknown key, a wrong type or a value out of
// range. `owner` names the script in the reason ("strategy 'sma_crossover'");
// `config_key` is the YAML path of the mapping ("strategies[fast1].config"),
// completed with ".<param>" in the error's key.
ResolvedParams resolve_params(const std::vector<ParamSpec>& specs, const ParamMap& overrides,
                              std::string_view owner, std::string_view config_key);

}  // namespace qtrader
