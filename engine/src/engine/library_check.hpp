// The libraries a run uses, checked before it starts: the backtest's pins and
// the libraries each one requires are there in a version of their range, and
// (unless --allow-unlocked) their content matches the backtest's qtrader.lock.
#pragma once

#include <string>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/lua/script_registry.hpp"

namespace qtrader {

// The libraries (with a manifest) of the `used` scripts, those the backtest
// pins in `libraries:`, and every library they require, by name, each with
// its content hash. ConfigError naming the backtest's or the manifest's line
// for a library that is missing or out of range, or made for another qtrader.
std::vector<LibraryUse> check_libraries(const ScriptRegistry& registry,
                                        const std::vector<const RegistryEntry*>& used,
                                        const BacktestConfig& backtest);

// ConfigError (at qtrader.lock's entry) when a used library is not in the
// backtest's qtrader.lock or its hash differs; nothing when there is no lock.
void check_against_lock(const std::vector<LibraryUse>& used, const std::string& backtest_path);

}  // namespace qtrader
