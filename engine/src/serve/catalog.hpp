// What the new-backtest form offers: the scripts (GET /api/strategies: the
// registry with each script's declared params) and the data sources (GET
// /api/data/sources). The registry evaluates scripts, so it is read in a
// child process (`qtrader list --json`), never in the server.
#pragma once

#include <string>

#include "serve/serve_config.hpp"

namespace qtrader::serve {

// A JSON array, `qtrader list --json`'s (docs/cli-json.md). Throws std::runtime_error when the child fails.
std::string read_strategy_catalog(const ServeConfig& config);

// A JSON array: each source of the system's data_sources.yaml with its
// adapter, layout, kind, bar_size, timezone and the symbols its folder holds.
std::string read_data_sources(const ServeConfig& config);

}  // namespace qtrader::serve
