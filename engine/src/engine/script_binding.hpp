// Connects the engine to the Lua host: finds scripts by registry name and
// wraps loaded scripts as the runtimes the strategy and risk services call.
#pragma once

#include <memory>
#include <string>

#include "qtrader/config.hpp"
#include "qtrader/script_api.hpp"
#include "risk/risk_policy.hpp"
#include "strategy/strategy_runtime.hpp"

namespace qtrader {

class ScriptBinding {
 public:
  // Scans the backtest's script_paths, then <root>/strategies (and strategies/risk).
  ScriptBinding(const std::string& root, const BacktestConfig& backtest);
  ~ScriptBinding();

  // ConfigError (at the name's YAML line) for a strategy or risk policy name
  // the registry does not know.
  void check_names(const BacktestConfig& backtest) const;

  // Loads into this run's Lua state; ScriptError when a script fails to load
  // or its on_init fails later, ConfigError for an unknown or mistyped param.
  std::unique_ptr<StrategyRuntime> load_strategy(const StrategySpec& spec, StrategyContext& ctx);
  std::unique_ptr<RiskPolicy> load_risk_policy(const RiskPolicySpec& spec, RiskContext& ctx);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qtrader
