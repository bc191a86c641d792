// validate_backtest: a backtest against the data sources it names.
#include <catch2/catch.hpp>

#include "config_checks.hpp"
#include "qtrader/config.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {
DataSourcesConfig fixture_sources() {
  return load_data_sources(config_fixture("data_sources_valid.yaml"));
}
}  // namespace

TEST_CASE("validate: a consistent backtest passes", "[config][validate]") {
  CHECK_NOTHROW(validate_backtest(load_backtest_config(config_fixture("backtest_valid.yaml")),
                                  fixture_sources()));
}

TEST_CASE("validate: end_date must be after start_date", "[config][validate][errors]") {
  const std::string file = config_fixture("backtest_valid.yaml");
  BacktestConfig bt = load_backtest_config(file);
  bt.end_date = bt.start_date;
  check_config_error(config_error_of([&] { validate_backtest(bt, fixture_sources()); }), file, 3,
                     "end_date", "end_date 2001-02-03 is not after start_date 2001-02-03");
}

TEST_CASE("validate: every backtest source exists in the data sources file",
          "[config][validate][errors]") {
  const std::string file = config_fixture("bt_unknown_source.yaml");
  const BacktestConfig bt = load_backtest_config(file);
  check_config_error(config_error_of([&] { validate_backtest(bt, fixture_sources()); }), file, 7,
                     "data.sources[1].name",
                     "unknown data source 'dialy' (known: daily, minute, futures)");
}

TEST_CASE("validate: a strategy's data_sources are loaded by the backtest",
          "[config][validate][errors]") {
  // `minute` exists in the data sources file, but this backtest does not load it.
  const std::string file = config_fixture("bt_unknown_strategy_source.yaml");
  const BacktestConfig bt = load_backtest_config(file);
  check_config_error(config_error_of([&] { validate_backtest(bt, fixture_sources()); }), file, 10,
                     "strategies[0].data_sources[1]",
                     "data source 'minute' is not loaded by this backtest (loaded: daily)");
}

TEST_CASE("validate: a strategy's symbols come from its data sources",
          "[config][validate][errors]") {
  // Strategy 0 (no data_sources) may take CCC from `minute`; strategy 1 is limited to `daily`.
  const std::string file = config_fixture("bt_symbol_not_loaded.yaml");
  const BacktestConfig bt = load_backtest_config(file);
  check_config_error(config_error_of([&] { validate_backtest(bt, fixture_sources()); }), file, 16,
                     "strategies[1].universe[1]",
                     "symbol 'CCC' is not in the universe of data source daily");
}

TEST_CASE("validate: without data_sources a strategy sees every loaded source",
          "[config][validate][errors]") {
  const std::string file = config_fixture("bt_symbol_not_loaded.yaml");
  BacktestConfig bt = load_backtest_config(file);
  bt.strategies.resize(1);
  CHECK_NOTHROW(validate_backtest(bt, fixture_sources()));
  bt.strategies[0].universe.push_back("DDD");
  bt.strategies[0].universe_where.push_back({file, 99});
  check_config_error(config_error_of([&] { validate_backtest(bt, fixture_sources()); }), file, 99,
                     "strategies[0].universe[2]",
                     "symbol 'DDD' is not in the universe of data sources daily, minute");
}

TEST_CASE("check_backtest_paths: a hand-built backtest's errors fall back to the file and the source's line",
          "[config][validate][errors]") {
  DataSourcesConfig sources;
  sources.sources.emplace_back();
  sources.sources.back().name = "here";
  sources.sources.back().path = QTRADER_FIXTURES_DIR;
  BacktestConfig bt;
  bt.path = "built.yaml";
  bt.sources.push_back({"here", {"NO_SUCH_SYMBOL"}, {"built.yaml", 5}, {}});
  check_config_error(config_error_of([&] { check_backtest_paths(bt, sources); }), "built.yaml", 5,
                     "data.sources[0].universe[0]",
                     "no data file for 'NO_SUCH_SYMBOL' (looked for " +
                         std::string(QTRADER_FIXTURES_DIR) + "/NO_SUCH_SYMBOL.csv)");
  bt.script_paths.push_back("/no-such-qtrader-folder");
  check_config_error(config_error_of([&] { check_backtest_paths(bt, sources); }), "built.yaml", 0,
                     "script_paths[0]", "folder does not exist: /no-such-qtrader-folder");
  bt.script_paths[0] = std::string(QTRADER_FIXTURES_DIR) + "/cli/system.yaml";
  check_config_error(config_error_of([&] { check_backtest_paths(bt, sources); }), "built.yaml", 0,
                     "script_paths[0]",
                     "not a folder: " + std::string(QTRADER_FIXTURES_DIR) + "/cli/system.yaml");
}
