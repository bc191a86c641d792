// Issue 11 item 9: the system file and backtest of the engine's reference
// documentation (tests/fixtures/reference) are read as written; the new keys
// keep the loaders' rule that a wrong value is an error at its line.
#include <catch2/catch.hpp>

#include "config_checks.hpp"
#include "qtrader/config.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

std::string reference(const std::string& name) {
  return std::string(QTRADER_FIXTURES_DIR) + "/reference/" + name;
}
std::string bad(const std::string& name) { return config_fixture("reference_errors/" + name); }

}  // namespace

TEST_CASE("reference system file: every key read with its meaning", "[config][system][reference]") {
  const SystemConfig cfg = load_system_config(reference("system.yaml"));
  CHECK(cfg.output.timestamp_format == "%Y%m%d_%H%M%S");
  CHECK(cfg.logging.level == "info");
  CHECK(cfg.logging.file_level == "warn");
  CHECK(cfg.logging.format == LogFormat::Console);
  CHECK(cfg.logging.file == true);
  CHECK(cfg.data.default_mode == "adjusted");
  CHECK(cfg.data.default_timezone == "America/New_York");
}

TEST_CASE("reference backtest: a strategy's warmup_bars is the engine's, not a script param",
          "[config][backtest][reference]") {
  const BacktestConfig bt = load_backtest_config(reference("backtest.yaml"));
  REQUIRE(bt.strategies.size() == 1);
  CHECK(bt.strategies[0].warmup_bars == 30);
  REQUIRE(bt.strategies[0].config.size() == 2);
  CHECK(bt.strategies[0].config[0].first == "fast");
  CHECK(bt.strategies[0].config[1].first == "slow");
}

TEST_CASE("default_mode: sources that set no price_mode and have adjusted closes",
          "[config][sources][reference]") {
  const SystemConfig sys = load_system_config(reference("system.yaml"));
  const BacktestConfig bt = load_backtest_config(reference("backtest.yaml"));
  const DataSourcesConfig file = load_data_sources(sys.data.sources_config);
  CHECK(file.sources.at(0).price_mode == "raw");
  CHECK_FALSE(file.sources.at(0).price_mode_given);
  const DataSourcesConfig used = sources_for(bt, &file, sys.data.default_mode);
  CHECK(used.find("sample")->price_mode == "adjusted");
}

TEST_CASE("logging levels: any case, warning is warn", "[config][system][reference]") {
  const SystemConfig cfg = load_system_config(reference("system.yaml"));
  CHECK(cfg.logging.file_level == "warn");  // "WARNING"
  check_config_error(config_error_of([&] { load_system_config(bad("bad_file_level.yaml")); }),
                     bad("bad_file_level.yaml"), 3, "logging.file_level",
                     "unknown log level 'verbose' (expected one of: trace, debug, info, warn "
                     "(warning), error (critical), off; any case)");
}

TEST_CASE("reference keys: wrong values are errors at their line", "[config][system][errors]") {
  check_config_error(config_error_of([&] { load_system_config(bad("bad_zone.yaml")); }),
                     bad("bad_zone.yaml"), 3, "data.default_timezone",
                     "unknown time zone 'America/New_Yrok' (an IANA name from the tz database, "
                     "e.g. America/New_York, Europe/London, UTC)");
  check_config_error(config_error_of([&] { load_system_config(bad("bad_format.yaml")); }),
                     bad("bad_format.yaml"), 3, "logging.format",
                     "expected one of: console, json; got 'xml'");
  check_config_error(
      config_error_of([&] { load_system_config(bad("bad_timestamp_format.yaml")); }),
      bad("bad_timestamp_format.yaml"), 2, "output.timestamp_format",
      "'%Y/%m' gives '2024/01', not one folder name");
  check_config_error(config_error_of([&] { load_system_config(bad("both_file_keys.yaml")); }),
                     bad("both_file_keys.yaml"), 3, "logging.enable_file",
                     "give either 'file' or 'enable_file', not both");
  check_config_error(config_error_of([&] { load_system_config(bad("typo_key.yaml")); }),
                     bad("typo_key.yaml"), 4, "data.defualt_mode",
                     "unknown key 'defualt_mode' (expected one of: sources_config, "
                     "default_timezone, default_mode, bar_cache); did you mean 'default_mode'?");
}
