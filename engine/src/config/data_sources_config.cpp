// config/data_sources.yaml: named market-data sources.
#include <string_view>

#include "config/column_fields.hpp"
#include "config/yaml_reader.hpp"
#include "qtrader/bar_consolidator.hpp"
#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"

namespace qtrader {

using namespace config_detail;

namespace {

// Fixed layouts; `custom` starts with no columns and takes them from `columns:`.
ColumnMap layout_columns(const std::string& layout) {
  ColumnMap m;  // date 0, open 1, high 2, low 3, close 4
  m.time = m.adj_close = m.volume = m.open_interest = -1;
  if (layout == "yahoo") {  // Date,Open,High,Low,Close,Adj Close,Volume
    m.adj_close = 5;
    m.volume = 6;
  } else if (layout == "ohlcv") {  // Date,Open,High,Low,Close,Volume[,OpenInterest]
    m.volume = 5;
    m.open_interest = 6;
  } else {
    m.date = m.open = m.high = m.low = m.close = -1;
  }
  return m;
}

bool has_column(const DataSourceConfig& src, std::string_view field) {
  if (src.columns.*column_field(field) >= 0) return true;
  for (const auto& c : src.columns_by_name)
    if (c.field == field) return true;
  return false;
}

// `columns:` maps a field to a zero-based index (a plain integer) or to a header
// name (any other string; quote a header that looks like a number).
void read_custom_columns(const YamlValue& value, DataSourceConfig& src) {
  std::vector<std::pair<std::string, std::string>> used;  // index or header -> field
  std::string known;
  for (const auto& [field, _] : kColumnFields)
    known += (known.empty() ? "" : ", ") + std::string(field);
  for (const auto& [field, v] : value.free_map().entries()) {
    const ColumnMember member = column_field(field);
    if (!member) v.fail("unknown column field '" + field + "' (expected one of: " + known + ")");
    const char first = v.is_scalar() && !v.scalar().empty() ? v.scalar().front() : '\0';
    const bool by_index =
        !v.is_quoted() && ((first >= '0' && first <= '9') || first == '-' || first == '+');
    std::string id;
    if (by_index) {
      src.columns.*member = v.integer(Range::NonNegative);
      id = "column " + std::to_string(src.columns.*member);
    } else {
      src.columns_by_name.push_back({field, v.text(), v.where()});
      id = "column '" + v.text() + "'";
    }
    for (const auto& [other_id, other_field] : used)
      if (other_id == id) v.fail(id + " is already used for '" + other_field + "'");
    used.emplace_back(id, field);
  }
  for (std::string_view required : {"date", "open", "high", "low", "close"})
    if (!has_column(src, required))
      throw ConfigError(value.file(), value.line(), value.child_key(required),
                        "missing required column '" + std::string(required) + "'");
}

DataSourceConfig read_source(const std::string& file, const std::string& name,
                             const YamlValue& value) {
  const YamlMap m = value.map({"adapter", "path", "layout", "columns", "price_mode", "timezone",
                               "corporate_actions", "bar_size", "kind"});
  DataSourceConfig src;
  src.name = name;
  src.where = value.where();
  m.read_choice("adapter", src.adapter, {"csv"});
  src.path = resolve_against(file, m.require("path").text());
  m.read_choice("layout", src.layout, {"yahoo", "ohlcv", "custom"});
  src.columns = layout_columns(src.layout);
  if (src.layout == "custom") {
    read_custom_columns(m.require("columns"), src);
  } else if (const auto columns = m.get("columns")) {
    columns->fail("columns are fixed by layout '" + src.layout +
                  "'; use layout: custom to map them");
  }
  if (const auto mode = m.get("price_mode")) {
    src.price_mode = mode->choice({"raw", "adjusted"});
    if (src.price_mode == "adjusted" && !has_column(src, "adj_close"))
      mode->fail("price_mode adjusted needs an adj_close column (layout " + src.layout +
                 " has none)");
  }
  m.read("timezone", src.timezone);
  if (const auto actions = m.get("corporate_actions"))
    src.corporate_actions = resolve_against(file, actions->text());
  // ---- consolidation and ticks: the file's bar length, checked as a timeframe ----
  if (const auto size = m.get("bar_size")) {
    src.bar_size = size->text();
    if (!parse_timeframe(src.bar_size))
      size->fail("bar_size must be a timeframe such as \"1m\", \"5m\", \"1h\" or \"1d\", got '" +
                 src.bar_size + "'");
  }
  m.read_choice("kind", src.kind, {"bars", "ticks"});
  if (src.kind == "ticks" && src.bar_size.empty())
    m.require("kind").fail("kind ticks needs bar_size: the bars the ticks are consolidated into (e.g. \"1m\")");
  return src;
}

}  // namespace

DataSourcesConfig load_data_sources(const std::string& path) {
  const YamlMap root = load_yaml_file(path).map({"sources"});
  DataSourcesConfig cfg;
  cfg.path = path;
  const YamlValue sources = root.require("sources");
  for (const auto& [name, value] : sources.free_map().entries())
    cfg.sources.push_back(read_source(path, name, value));
  if (cfg.sources.empty()) sources.fail("no data sources defined");
  return cfg;
}

}  // namespace qtrader
