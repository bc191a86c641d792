// Connects the engine to the Lua host: finds scripts by registry name and
// wraps loaded scripts as the runtimes the strategy and risk services call.
#pragma once

#include <memory>
#include <string>

#include "qtrader/config.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/lua/script_limits.hpp"
#include "qtrader/script_api.hpp"
#include "risk/risk_policy.hpp"
#include "strategy/strategy_runtime.hpp"

namespace qtrader {

class ScriptRegistry;

class ScriptBinding {
 public:
  // Scans the backtest's script_paths, then <root>/strategies (and strategies/risk).
  // `limits`: the sandbox budgets and mode (system.yaml `sandbox:`).
  ScriptBinding(const std::string& root, const BacktestConfig& backtest, const ScriptLimits& limits = {});
  ~ScriptBinding();

  // ConfigError (at the name's YAML line) for a strategy or risk policy name
  // the registry does not know or that is ambiguous, and for a library they
  // need (the backtest's `libraries:`, the libraries a used one requires)
  // that is missing or of a version out of range (library_check.hpp).
  void check_names(const BacktestConfig& backtest) const;

  // Loads into this run's Lua state; ScriptError when a script fails to load
  // or its on_init fails later, ConfigError for an unknown or mistyped param.
  std::unique_ptr<StrategyRuntime> load_strategy(const StrategySpec& spec, StrategyContext& ctx);
  std::unique_ptr<RiskPolicy> load_risk_policy(const RiskPolicySpec& spec, RiskContext& ctx);

  // Every strategy and risk policy found in the script folders.
  const ScriptRegistry& registry() const noexcept;

  // The libraries check_names() found the run uses, by name, with their hashes.
  const std::vector<LibraryUse>& libraries_used() const noexcept;

  // The scripts check_names() resolved, then the modules they required so far, with hashes.
  std::vector<ScriptUse> scripts_used() const;
  // The resolved params of every strategy and risk policy loaded so far, in load order.
  const std::vector<ScriptParams>& params_used() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qtrader
