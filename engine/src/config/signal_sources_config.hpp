// The backtest file's `signals:` list (docs/signals.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/yaml_reader.hpp"
#include "qtrader/config.hpp"

namespace qtrader::config_detail {

// Each entry {name, file, latency?, version?, embargo?: {cutoff, bars}}; a
// relative file is relative to the backtest file `path`.
std::vector<SignalSourceSpec> read_signal_sources(const YamlValue& list, const std::string& path);

}  // namespace qtrader::config_detail

namespace qtrader {
// "30s", "15m", "2h", "1d" (a day is 24 hours) or "0" as nanoseconds; nullopt otherwise.
std::optional<Timestamp> parse_latency(std::string_view text);
}  // namespace qtrader
