// One data source entry: its keys (adapter, path, layout, columns, ...) read
// into a DataSourceConfig. data_sources.yaml's `sources:` entries and a
// backtest's inline `data.sources` entries are read by this one function, so
// the two accept the same keys with the same meaning.
#pragma once

#include <string>

#include "config/yaml_reader.hpp"
#include "qtrader/config.hpp"

namespace qtrader::config_detail {

// `file`: the config file `value` comes from (relative paths resolve against
// its folder). `also_allowed`: keys the caller reads itself from the same
// mapping (an inline entry's `name` and `universe`).
DataSourceConfig read_source_entry(const std::string& file, const std::string& name,
                                   const YamlValue& value, KeyList also_allowed = {});

}  // namespace qtrader::config_detail
