// config/data_sources.yaml: named market-data sources.
#include <string_view>

#include <fmt/format.h>

#include "config/column_fields.hpp"
#include "config/source_entry.hpp"
#include "config/yaml_reader.hpp"
#include "qtrader/bar_consolidator.hpp"
#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/cell_time_format.hpp"
#include "qtrader/exchange_calendar.hpp"
#include "qtrader/time_zone.hpp"

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
    if (!member) v.fail(fmt::format("unknown column field '{}' (expected one of: {})", field, known));
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
      if (other_id == id) v.fail(fmt::format("{} is already used for '{}'", id, other_field));
    used.emplace_back(id, field);
  }
  for (std::string_view required : {"date", "open", "high", "low", "close"})
    if (!has_column(src, required))
      throw ConfigError(value.file(), value.line(), value.child_key(required),
                        "missing required column '" + std::string(required) + "'");
}

// One character: `;`, "\t" (a tab, or the two characters backslash and t as
// single-quoted YAML gives them), or the word `tab`.
char read_char(const YamlValue& v, std::string_view what) {
  const std::string t = v.text();
  if (t == "\\t" || t == "tab") return '\t';
  if (t.size() != 1) v.fail(std::string(what) + " must be one character, found '" + t + "'");
  if (t[0] == '\n' || t[0] == '\r') v.fail(std::string(what) + " cannot be a line break");
  return t[0];
}

// Dialect keys (docs/data.md "Reading files"): each checked here, so a bad
// one stops the run at its line before any file is read.
void read_dialect(const YamlMap& m, DataSourceConfig& src) {
  if (const auto v = m.get("delimiter")) src.delimiter = read_char(*v, "delimiter");
  if (const auto v = m.get("quote")) {
    src.quote = v->is_scalar() && v->scalar() == "none" ? '\0' : read_char(*v, "quote");
    if (src.quote == src.delimiter) v->fail("quote and delimiter must differ");
  } else if (src.delimiter == src.quote) {
    m.get("delimiter")->fail("the delimiter is the quote character; set quote: to another one or none");
  }
  if (const auto v = m.get("header")) {
    src.header = v->boolean();
    if (!src.header && !src.columns_by_name.empty())
      v->fail("header: false needs every column by index (column '" +
              src.columns_by_name.front().header + "' is given by name)");
  }
  std::string error;
  if (const auto v = m.get("date_format")) {
    src.date_format = v->text();
    const auto f = CellTimeFormat::compile(src.date_format, false, error);
    if (!f) v->fail(error);
    if (f->is_epoch() && src.columns.time >= 0)
      v->fail("an epoch date_format carries the time: drop the time column");
    if (f->is_epoch() && !src.columns_by_name.empty())
      for (const auto& c : src.columns_by_name)
        if (c.field == "time") v->fail("an epoch date_format carries the time: drop the time column");
  }
  if (const auto v = m.get("time_format")) {
    src.time_format = v->text();
    if (!CellTimeFormat::compile(src.time_format, true, error)) v->fail(error);
    if (!has_column(src, "time")) v->fail("time_format needs a time column");
  }
}


// ---- the exchange block (h-exchange): exchange_timezone, calendar,
// outside_session, frequency. Read after `timezone`, which it falls back to.
void read_exchange_keys(const YamlMap& m, const YamlValue& value, DataSourceConfig& src) {
  const CalendarSpec* spec = nullptr;
  if (const auto cal = m.get("calendar")) {
    src.calendar = cal->text();
    spec = find_calendar_spec(src.calendar);
    if (!spec)
      cal->fail("unknown calendar '" + src.calendar + "' (known: " + known_calendar_names() + ")");
  }
  if (const auto zone = m.get("exchange_timezone")) {
    src.exchange_timezone = zone->text();
    src.exchange_where = zone->where();
    if (!TimeZone::find(src.exchange_timezone))
      zone->fail(unknown_time_zone(src.exchange_timezone));
    if (spec && src.exchange_timezone != spec->zone)
      zone->fail("calendar " + src.calendar + " is in " + spec->zone + ", not " + src.exchange_timezone);
  } else if (spec) {
    src.exchange_timezone = spec->zone;
    src.exchange_where = m.get("calendar")->where();
  } else {
    src.exchange_timezone = src.timezone;
    src.exchange_follows_timezone = true;
    const auto tz = m.get("timezone");
    src.exchange_where = tz ? tz->where() : value.where();
    if (!TimeZone::find(src.timezone)) {
      if (tz) tz->fail(unknown_time_zone(src.timezone));
      value.fail(unknown_time_zone(src.timezone));
    }
  }
  if (const auto outside = m.get("outside_session")) {
    src.outside_session = outside->choice({"keep", "drop"});
    if (src.outside_session == "drop" && !spec)
      outside->fail("outside_session drop needs a calendar (e.g. calendar: XNYS)");
  }
  if (const auto frequency = m.get("frequency"))
    src.frequency = frequency->choice({"auto", "daily", "intraday"});
}

}  // namespace

DataSourceConfig config_detail::read_source_entry(const std::string& file, const std::string& name,
                                                  const YamlValue& value, KeyList also_allowed) {
  const YamlMap m = value.map({"adapter", "path", "layout", "columns", "price_mode", "timezone",
                               "corporate_actions", "contracts",
                               // the dialect (read_dialect)
                               "delimiter", "quote", "header", "date_format", "time_format",
                               // the exchange block (read_exchange_keys)
                               "exchange_timezone", "calendar", "outside_session", "frequency",
                               // consolidation and ticks
                               "bar_size", "kind"},
                              also_allowed);
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
    src.price_mode_given = true;
    if (src.price_mode == "adjusted" && !has_column(src, "adj_close"))
      mode->fail("price_mode adjusted needs an adj_close column (layout " + src.layout +
                 " has none)");
  }
  if (const auto tz = m.get("timezone")) {
    src.timezone = tz->text();
    src.timezone_given = true;
    if (!TimeZone::find(src.timezone))
      tz->fail(unknown_time_zone(src.timezone));
  }
  read_dialect(m, src);
  if (const auto actions = m.get("corporate_actions"))
    src.corporate_actions = resolve_against(file, actions->text());
  if (const auto contracts = m.get("contracts"))
    src.contracts = resolve_against(file, contracts->text());
  read_exchange_keys(m, value, src);
  // ---- consolidation and ticks: the file's bar length, checked as a timeframe ----
  m.read_choice("kind", src.kind, {"bars", "ticks"});
  if (const auto size = m.get("bar_size")) {
    src.bar_size = size->text();
    // A tick source may also cut bars by trade count or volume.
    const bool activity = src.kind == "ticks" && parse_activity_bars(src.bar_size);
    if (!activity && !parse_timeframe(src.bar_size))
      size->fail(src.kind == "ticks"
                     ? "bar_size must be a timeframe such as \"1m\" or \"5m\", a trade count such as "
                       "\"1000t\" or a volume such as \"50000v\", got '" + src.bar_size + "'"
                     : "bar_size must be a timeframe such as \"1m\", \"5m\", \"1h\" or \"1d\", got '" +
                           src.bar_size + "'");
  }
  if (src.kind == "ticks" && src.bar_size.empty())
    m.require("kind").fail("kind ticks needs bar_size: the bars the ticks are consolidated into (e.g. \"1m\")");
  return src;
}

DataSourcesConfig load_data_sources(const std::string& path, const std::string& default_timezone) {
  const YamlMap root = load_yaml_file(path).map({"sources"});
  DataSourcesConfig cfg;
  cfg.path = path;
  const YamlValue sources = root.require("sources");
  for (const auto& [name, value] : sources.free_map().entries())
    cfg.sources.push_back(read_source_entry(path, name, value));
  for (DataSourceConfig& src : cfg.sources)
    src.apply_default_timezone(default_timezone);
  if (cfg.sources.empty()) sources.fail("no data sources defined");
  return cfg;
}

}  // namespace qtrader
