// What the new-backtest form offers: the scripts (GET /api/strategies: the
// registry with each script's declared params) and the data sources (GET
// /api/data/sources). The registry evaluates scripts, so it is read in a
// child process (`qtrader list --json`), never in the server.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve/serve_config.hpp"

namespace qtrader::serve {

// `qtrader list --json` (docs/cli-json.md) with these script roots (the
// server's: config.script_paths), files included: what the server itself
// needs to know. Throws std::runtime_error when the child fails.
nlohmann::ordered_json read_script_list(const ServeConfig& config, const std::vector<std::string>& roots);

// The list as clients get it (GET /api/strategies): without the files' paths,
// which are the server's business.
std::string public_catalog(const nlohmann::ordered_json& list);

// A JSON array: each source of the system's data_sources.yaml with its
// adapter, layout, kind, bar_size, timezone and the symbols its folder holds.
std::string read_data_sources(const ServeConfig& config);

}  // namespace qtrader::serve
