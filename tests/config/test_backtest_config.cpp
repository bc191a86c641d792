// load_backtest_config: a complete file, then one file per mistake.
#include <catch2/catch.hpp>

#include "config_checks.hpp"
#include "qtrader/config.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {
constexpr Timestamp kSecond = 1'000'000'000LL;

void check_param_number(const ParamValue& p, double value, bool is_integer, int line) {
  CHECK(p.kind == ParamValue::Kind::Number);
  CHECK(p.number == value);
  CHECK(p.is_integer == is_integer);
  CHECK(p.where.line == line);
}
void check_param_string(const ParamValue& p, const std::string& text, int line) {
  CHECK(p.kind == ParamValue::Kind::String);
  CHECK(p.text == text);
  CHECK(p.where.line == line);
}
}  // namespace

TEST_CASE("backtest: a complete file loads with every value and line", "[config][backtest]") {
  const std::string file = config_fixture("backtest_valid.yaml");
  const BacktestConfig bt = load_backtest_config(file);
  CHECK(bt.path == file);
  CHECK(bt.start_date == 981158400LL * kSecond);  // date -u -d 2001-02-03 +%s
  CHECK(bt.end_date == 1049500800LL * kSecond);   // date -u -d 2003-04-05 +%s
  CHECK(bt.start_date_where.line == 2);
  CHECK(bt.end_date_where.line == 3);
  CHECK(bt.initial_equity == 250000.5);
  CHECK(bt.replay_speed == 0.25);
  CHECK(bt.warmup_bars == 20);
  CHECK(bt.script_paths == std::vector<std::string>{resolved_fixture("scripts"),
                                                    resolved_fixture("../shared/strategies")});

  REQUIRE(bt.sources.size() == 2);
  CHECK(bt.sources[0].name == "daily");
  CHECK(bt.sources[0].universe == std::vector<std::string>{"AAA", "BBB"});
  CHECK(bt.sources[0].where.file == file);
  CHECK(bt.sources[0].where.line == 11);
  CHECK(bt.sources[1].name == "minute");
  CHECK(bt.sources[1].universe == std::vector<std::string>{"CCC"});
  CHECK(bt.sources[1].where.line == 13);

  REQUIRE(bt.strategies.size() == 2);
  const StrategySpec& trend = bt.strategies[0];
  CHECK(trend.strategy_id == "trend");
  CHECK(trend.name == "sma_crossover");
  CHECK(trend.where.file == file);
  CHECK(trend.where.line == 18);
  CHECK(trend.name_where.line == 19);
  CHECK(trend.universe == std::vector<std::string>{"AAA", "BBB"});
  REQUIRE(trend.universe_where.size() == 2);
  CHECK(trend.universe_where[1].line == 20);
  CHECK(trend.data_sources == std::vector<std::string>{"daily"});
  REQUIRE(trend.data_sources_where.size() == 1);
  CHECK(trend.data_sources_where[0].line == 21);

  const ParamMap& p = trend.config;
  REQUIRE(p.size() == 7);
  CHECK(p[0].first == "fast");
  check_param_number(p[0].second, 10.0, true, 23);
  CHECK(p[0].second.where.file == file);
  CHECK(p[1].first == "slow");
  check_param_number(p[1].second, 30.0, false, 24);
  CHECK(p[2].first == "threshold");
  check_param_number(p[2].second, -1.5e-3, false, 25);
  CHECK(p[3].first == "long_only");
  CHECK(p[3].second.kind == ParamValue::Kind::Bool);
  CHECK(p[3].second.boolean == true);
  CHECK(p[3].second.where.line == 26);
  CHECK(p[4].first == "mode");
  check_param_string(p[4].second, "10", 27);  // quoted: a string, not a number
  CHECK(p[5].first == "label");
  check_param_string(p[5].second, "breakout", 28);
  CHECK(p[6].first == "weights");
  const ParamValue& weights = p[6].second;
  CHECK(weights.kind == ParamValue::Kind::List);
  CHECK(weights.where.line == 29);
  REQUIRE(weights.list.size() == 3);
  check_param_number(weights.list[0], 1.0, true, 29);
  check_param_number(weights.list[1], 0.5, false, 29);
  check_param_string(weights.list[2], "x", 29);

  const StrategySpec& meanrev = bt.strategies[1];
  CHECK(meanrev.strategy_id == "meanrev");
  CHECK(meanrev.name == "meanrev");  // no name key: the strategy_id
  CHECK(meanrev.where.line == 30);
  CHECK(meanrev.name_where.line == 30);  // the strategy_id's line
  CHECK(meanrev.universe == std::vector<std::string>{"CCC", "AAA"});
  CHECK(meanrev.data_sources.empty());
  CHECK(meanrev.config.empty());

  CHECK(bt.risk_policy.name == "fixed_fraction");
  CHECK(bt.risk_policy.where.file == file);
  CHECK(bt.risk_policy.where.line == 33);
  REQUIRE(bt.risk_policy.config.size() == 2);
  CHECK(bt.risk_policy.config[0].first == "fraction");
  check_param_number(bt.risk_policy.config[0].second, 0.02, false, 35);
  CHECK(bt.risk_policy.config[1].first == "max_positions");
  check_param_number(bt.risk_policy.config[1].second, 5.0, true, 35);
}

TEST_CASE("backtest: a config value may be a list of mappings, with lines", "[config][backtest]") {
  const std::string file = config_fixture("bt_budgets_list.yaml");
  const BacktestConfig bt = load_backtest_config(file);
  const ParamMap& p = bt.risk_policy.config;
  REQUIRE(p.size() == 2);
  check_param_number(p[0].second, 0.2, false, 16);
  CHECK(p[1].first == "budgets");
  const ParamValue& budgets = p[1].second;
  CHECK(budgets.kind == ParamValue::Kind::List);
  CHECK(budgets.where.file == file);
  CHECK(budgets.where.line == 17);  // a value of a mapping reports its key's line
  REQUIRE(budgets.list.size() == 2);

  // Block style: each key on its own line, in file order.
  const ParamValue& trend = budgets.list[0];
  CHECK(trend.kind == ParamValue::Kind::Map);
  CHECK(trend.where.line == 18);
  REQUIRE(trend.map.size() == 2);
  CHECK(trend.map[0].first == "strategy_id");
  check_param_string(trend.map[0].second, "trend", 18);
  CHECK(trend.map[1].first == "capital_weight");
  check_param_number(trend.map[1].second, 0.6, false, 19);

  // Flow style: one line.
  const ParamValue& meanrev = budgets.list[1];
  CHECK(meanrev.kind == ParamValue::Kind::Map);
  REQUIRE(meanrev.map.size() == 2);
  CHECK(meanrev.map[0].first == "strategy_id");
  check_param_string(meanrev.map[0].second, "meanrev", 20);
  CHECK(meanrev.map[1].first == "capital_weight");
  check_param_number(meanrev.map[1].second, 0.4, false, 20);
}

TEST_CASE("backtest: end_date must be after start_date", "[config][backtest][errors]") {
  const std::string file = config_fixture("bt_end_not_after_start.yaml");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 2, "end_date",
                     "end_date 2001-01-01 is not after start_date 2002-01-01");
}

TEST_CASE("backtest: replay_speed must not be negative", "[config][backtest][errors]") {
  const std::string file = config_fixture("bt_negative_replay_speed.yaml");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 3, "replay_speed",
                     "must be >= 0, got '-0.5'");
}

TEST_CASE("backtest: a value of the wrong type", "[config][backtest][errors]") {
  const std::string file = config_fixture("bt_wrong_type.yaml");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 3,
                     "initial_equity", "expected a number, got 'abc'");
}

TEST_CASE("backtest: an unknown top-level key", "[config][backtest][errors]") {
  const std::string file = config_fixture("bt_unknown_top_key.yaml");
  check_config_error(
      config_error_of([&] { load_backtest_config(file); }), file, 3, "warmup_bar",
      "unknown key 'warmup_bar' (expected one of: start_date, end_date, initial_equity, "
      "replay_speed, checkpoint_every, warmup_bars, script_paths, libraries, data, strategies, "
      "risk_policy, live, benchmark, exchange_timezone, signals); "
      "did you mean 'warmup_bars'?");
}

TEST_CASE("backtest: an unknown key inside a strategy", "[config][backtest][errors]") {
  const std::string file = config_fixture("bt_unknown_nested_key.yaml");
  check_config_error(
      config_error_of([&] { load_backtest_config(file); }), file, 10, "strategies[0].confg",
      "unknown key 'confg' (expected one of: strategy_id, name, universe, data_sources, "
      "config, timeframe); did you mean 'config'?");
}

TEST_CASE("backtest: a duplicate key is an error, not a silent override",
          "[config][backtest][errors]") {
  const std::string file = config_fixture("bt_duplicate_key.yaml");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 13,
                     "strategies[0].config.fast", "duplicate key 'fast' (first given at line 11)");
}

TEST_CASE("backtest: a missing required top-level key", "[config][backtest][errors]") {
  const std::string file = config_fixture("bt_missing_end_date.yaml");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 2, "end_date",
                     "missing required key 'end_date'");
}

TEST_CASE("backtest: a strategy without a universe", "[config][backtest][errors]") {
  const std::string file = config_fixture("bt_missing_universe.yaml");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 10,
                     "strategies[1].universe", "missing required key 'universe'");
}

TEST_CASE("backtest: a YAML syntax error names its line", "[config][backtest][errors]") {
  const std::string file = config_fixture("bt_syntax_error.yaml");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 4, "",
                     "YAML syntax error: illegal map value");
}

TEST_CASE("backtest: strategy_ids are unique", "[config][backtest][errors]") {
  const std::string file = config_fixture("bt_duplicate_strategy_id.yaml");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 10,
                     "strategies[1].strategy_id", "duplicate strategy_id 's' (first at line 8)");
}

TEST_CASE("backtest: a missing file", "[config][backtest][errors]") {
  const std::string file = config_fixture("no_such_backtest.yaml");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 0, "",
                     "file not found");
}
