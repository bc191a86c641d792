// `--param NAME=VALUE` overrides (RunOptions::params) applied to a loaded
// backtest: NAME chooses a strategy or the risk policy, VALUE is read as a
// YAML scalar. Checking the value against the script's declared params is
// left to the usual check of `config:` mappings, so both fail alike.
#pragma once

#include <string>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/engine.hpp"

namespace qtrader {

// Whose params an override name points at.
struct OverrideTarget {
  int strategy = -1;  // index in BacktestConfig::strategies; -1: the risk policy
  std::string param;
};

// `name` resolved against the backtest's strategies: "param" (only strategy),
// "STRATEGY_ID.param", "risk.param". A strategy id wins over "risk". Throws
// ConfigError at `where` when no target fits.
OverrideTarget resolve_override_target(const BacktestConfig& backtest, const std::string& name,
                                       const SourceLocation& where);

// Where the override at `index` is reported: file "--param", line index + 1.
SourceLocation override_location(std::size_t index);

// VALUE read as YAML, as in a backtest's config: mapping. ConfigError on bad YAML.
ParamValue parse_override_value(const std::string& name, const std::string& value,
                                const SourceLocation& where);

// Replaces or adds each override in its target's config, in order.
void apply_param_overrides(BacktestConfig& backtest, const std::vector<ParamOverride>& overrides);

}  // namespace qtrader
