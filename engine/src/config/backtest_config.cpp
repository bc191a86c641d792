// A backtest file: what to run. Only the file's own rules are checked here;
// validate_backtest checks it against the data sources.
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "config/benchmark_config.hpp"
#include "config/name_rules.hpp"
#include "config/signal_sources_config.hpp"
#include "config/source_entry.hpp"
#include "config/yaml_reader.hpp"
#include "qtrader/bar_consolidator.hpp"
#include "qtrader/config.hpp"
#include "qtrader/time.hpp"
#include "qtrader/time_zone.hpp"

namespace qtrader {

using namespace config_detail;

namespace {

// A non-empty list of distinct names (symbols or source names), with each one's line.
std::vector<std::string> read_names(const YamlValue& list, const char* what,
                                    std::vector<SourceLocation>* where = nullptr) {
  std::vector<std::string> names;
  for (const YamlValue& item : list.items()) {
    std::string name = std::string_view(what) == "symbol" ? item.symbol() : item.text();
    for (const auto& seen : names)
      if (seen == name) item.fail(std::string(what) + " '" + name + "' is listed twice");
    if (where) where->push_back(item.where());
    names.push_back(std::move(name));
  }
  if (names.empty()) list.fail(std::string("must list at least one ") + what);
  return names;
}

// ---- data.sources entries (docs/data.md "Sources in the backtest file") ----
// `name` and `universe` pick a data_sources.yaml source; an entry with any
// other key defines its source inline, with exactly data_sources.yaml's keys
// (read_source_entry), relative paths relative to the backtest file.
SourceUse read_source_use(const std::string& path, const YamlValue& item) {
  const YamlMap m = item.free_map();
  SourceUse use;
  use.name = m.require("name").text();
  const bool is_inline = std::any_of(m.entries().begin(), m.entries().end(), [](const auto& e) {
    return e.first != "name" && e.first != "universe";
  });
  if (is_inline)
    use.inline_source = read_source_entry(path, use.name, item, {"name", "universe"});
  use.universe = read_names(m.require("universe"), "symbol", &use.universe_where);
  use.where = item.where();
  return use;
}

// `data:` holds the sources and what to do about a symbol whose data ends early.
void read_data_section(const std::string& path, const YamlMap& root, BacktestConfig& bt) {
  const YamlMap data = root.section("data", {"sources", "stale_policy"});
  data.read_choice("stale_policy", bt.stale_policy);
  // No `data:` at all is allowed for `qtrader run --data DIR` (use_data_folder);
  // validate_backtest reports a backtest that has no source otherwise.
  if (!root.has("data")) return;
  const YamlValue sources = data.require("sources");
  for (const YamlValue& item : sources.items()) {
    SourceUse use = read_source_use(path, item);
    for (const auto& seen : bt.sources)
      if (seen.name == use.name)
        item.fail("data source '" + use.name + "' is listed twice (first at line " +
                  std::to_string(seen.where.line) + ")");
    bt.sources.push_back(std::move(use));
  }
  if (bt.sources.empty()) sources.fail("must list at least one data source");
}
// ---- end of data.sources -------------------------------------------------------

// The reference configuration puts a strategy's warm-up in its `config:`;
// the engine applies it, so the script never sees it as a param.
void take_warmup_bars(const YamlValue& config, StrategySpec& s) {
  const auto it = std::find_if(s.config.begin(), s.config.end(),
                               [](const auto& entry) { return entry.first == "warmup_bars"; });
  if (it == s.config.end()) return;
  s.warmup_bars = config.free_map().require("warmup_bars").integer(Range::NonNegative);
  s.config.erase(it);
}

// `id_lines` holds the strategy_ids read so far (id -> line), to reject repeats.
StrategySpec read_strategy(const YamlValue& item, std::unordered_map<std::string, int>& id_lines) {
  const YamlMap m = item.map({"strategy_id", "name", "universe", "data_sources", "config",
                                 "timeframe"});
  StrategySpec s;
  const YamlValue id = m.require("strategy_id");
  s.strategy_id = id.text();
  if (std::string problem = strategy_id_problem(s.strategy_id); !problem.empty())
    id.fail(fmt::format("strategy_id '{}': {}", printable(s.strategy_id), problem));
  const auto [seen, fresh] = id_lines.emplace(s.strategy_id, id.line());
  if (!fresh)
    id.fail("duplicate strategy_id '" + s.strategy_id + "' (first at line " +
            std::to_string(seen->second) + ")");
  s.where = item.where();
  if (const auto name = m.get("name")) {
    s.name = name->text();
    s.name_where = name->where();
  } else {
    s.name = s.strategy_id;
    s.name_where = id.where();
  }
  s.universe = read_names(m.require("universe"), "symbol", &s.universe_where);
  if (const auto sources = m.get("data_sources"))
    s.data_sources = read_names(*sources, "data source", &s.data_sources_where);
  if (const auto config = m.get("config")) {
    s.config = config->params();
    take_warmup_bars(*config, s);
  }
  // ---- consolidation: the timeframe of the bars on_bar receives ----
  if (const auto tf = m.get("timeframe")) {
    s.timeframe = tf->text();
    s.timeframe_where = tf->where();
    if (!parse_timeframe(s.timeframe))
      tf->fail("timeframe must be \"30s\", \"5m\", \"15m\", \"1h\", \"1d\", \"1w\" or similar, got '" +
               s.timeframe + "'");
  }
  return s;
}

}  // namespace

BacktestConfig load_backtest_config(const std::string& path) {
  const YamlMap root = load_yaml_file(path).map({"start_date", "end_date", "initial_equity",
                                                 "replay_speed", "checkpoint_every", "warmup_bars", "script_paths", "libraries",
                                                 "data", "strategies", "risk_policy", "live",
                                                 "benchmark",
                                                 "exchange_timezone", "signals"});
  BacktestConfig bt;
  bt.path = path;

  const YamlValue start = root.require("start_date");
  bt.start_date = start.date();
  const YamlValue end = root.require("end_date");
  bt.end_date = end.date();
  bt.start_date_where = start.where();
  bt.end_date_where = end.where();
  if (bt.end_date <= bt.start_date)
    end.fail("end_date " + format_date(bt.end_date) + " is not after start_date " +
             format_date(bt.start_date));

  root.read("initial_equity", bt.initial_equity, Range::Positive);
  root.read("replay_speed", bt.replay_speed, Range::NonNegative);
  root.read("warmup_bars", bt.warmup_bars, Range::NonNegative);
  if (const auto every = root.get("checkpoint_every")) {
    bt.checkpoint_every = every->integer(Range::Positive);
    bt.checkpoint_every_where = every->where();
  }
  if (const auto zone = root.get("exchange_timezone")) {  // h-exchange: the run's trading day
    bt.exchange_timezone = zone->text();
    bt.exchange_timezone_where = zone->where();
    if (!TimeZone::find(bt.exchange_timezone))
      zone->fail(unknown_time_zone(bt.exchange_timezone));
  }
  if (const auto scripts = root.get("script_paths"))
    for (const YamlValue& item : scripts->items()) {
      bt.script_paths.push_back(resolve_against(path, item.text()));
      bt.script_paths_where.push_back(item.where());
    }

  if (const auto libraries = root.get("libraries"))
    for (const YamlValue& item : libraries->items()) {
      bt.libraries.push_back(item.text());
      bt.libraries_where.push_back(item.where());
    }

  read_data_section(path, root, bt);

  const YamlValue strategies = root.require("strategies");
  std::unordered_map<std::string, int> id_lines;
  for (const YamlValue& item : strategies.items())
    bt.strategies.push_back(read_strategy(item, id_lines));
  if (bt.strategies.empty()) strategies.fail("must list at least one strategy");

  bt.risk_policy.where = {path, 0};
  if (const auto risk = root.get("risk_policy")) {
    const YamlMap m = risk->map({"name", "config"});
    bt.risk_policy.name = m.require("name").text();
    if (const auto config = m.get("config")) bt.risk_policy.config = config->params();
    bt.risk_policy.where = risk->where();
  }

  // ---- benchmark (benchmark_config.cpp) ----
  if (const auto benchmark = root.get("benchmark")) bt.benchmark = read_benchmark(*benchmark, path);
  // ---- model signals (signal_sources_config.cpp) ----
  if (const auto signals = root.get("signals")) bt.signals = read_signal_sources(*signals, path);
  return bt;
}

}  // namespace qtrader
