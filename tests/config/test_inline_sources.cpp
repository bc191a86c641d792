// Issue 11 item 3: a backtest's data.sources entry may define its source
// with data_sources.yaml's keys; an inline source wins over a named one.
#include <catch2/catch.hpp>

#include "config_checks.hpp"
#include "qtrader/config.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

std::string fixture(const std::string& name) {
  return std::string(QTRADER_FIXTURES_DIR) + "/sources/" + name;
}
std::string normal(const std::string& name) {
  return std::filesystem::path(fixture(name)).lexically_normal().string();
}

}  // namespace

TEST_CASE("inline source: read with data_sources.yaml's keys, paths relative to the backtest",
          "[config][sources][inline]") {
  const BacktestConfig bt = load_backtest_config(fixture("inline.yaml"));
  REQUIRE(bt.sources.size() == 1);
  REQUIRE(bt.sources[0].inline_source);
  const DataSourceConfig& src = *bt.sources[0].inline_source;
  CHECK(src.name == "mine");
  CHECK(src.path == normal("own_data"));
  CHECK(src.layout == "ohlcv");
  CHECK(src.where.line == 8);
  CHECK(bt.sources[0].universe == std::vector<std::string>{"AAA", "BBB"});
  CHECK_FALSE(needs_sources_file(bt));
  const DataSourcesConfig used = sources_for(bt, nullptr, "raw");
  REQUIRE(used.sources.size() == 1);
  CHECK(used.find("mine")->file_for("AAA") == normal("own_data/AAA.csv"));
  CHECK_NOTHROW(validate_backtest(bt, used));
  CHECK_NOTHROW(check_backtest_paths(bt, used));
}

TEST_CASE("inline source: wins over a data_sources.yaml source of the same name",
          "[config][sources][inline]") {
  const BacktestConfig bt = load_backtest_config(fixture("shadow.yaml"));
  const DataSourcesConfig file =
      load_data_sources(std::string(QTRADER_FIXTURES_DIR) + "/cli/data_sources.yaml");
  const DataSourcesConfig used = sources_for(bt, &file, "raw");
  REQUIRE(used.sources.size() == 2);  // the inline sample, then the file's `broken`
  CHECK(used.sources[0].path == normal("own_data"));
  CHECK(used.sources[1].name == "broken");
}

TEST_CASE("inline source: a misspelt key is an error at its line", "[config][sources][errors]") {
  const std::string file = fixture("inline_typo.yaml");
  check_config_error(config_error_of([&] { load_backtest_config(file); }), file, 7,
                     "data.sources[0].layuot",
                     "unknown key 'layuot' (expected one of: adapter, path, layout, columns, "
                     "price_mode, timezone, corporate_actions, contracts, delimiter, quote, header, "
                     "date_format, time_format, exchange_timezone, calendar, outside_session, "
                     "frequency, bar_size, kind, name, universe); did you mean "
                     "'layout'?");
}

TEST_CASE("data folder (--data): a folder's layout from its header, universe from the strategies",
          "[config][sources][data-dir]") {
  BacktestConfig bt = load_backtest_config(fixture("no_data.yaml"));
  CHECK(bt.sources.empty());
  use_data_folder(bt, fixture("own_data"));
  REQUIRE(bt.sources.size() == 1);
  CHECK(bt.sources[0].name == "data");
  CHECK(bt.sources[0].universe == std::vector<std::string>{"AAA", "BBB"});
  const DataSourceConfig& src = *bt.sources[0].inline_source;
  CHECK(src.layout == "ohlcv");
  CHECK(src.path == normal("own_data"));
  CHECK(src.columns.volume == 5);
  CHECK(src.columns.adj_close == -1);

  BacktestConfig missing = load_backtest_config(fixture("no_data.yaml"));
  check_config_error(config_error_of([&] { use_data_folder(missing, fixture("nowhere")); }),
                     "--data", 0, "--data", "folder does not exist: " + fixture("nowhere"));
}

TEST_CASE("a backtest without data sources and without --data is an error",
          "[config][sources][errors]") {
  const BacktestConfig bt = load_backtest_config(fixture("no_data.yaml"));
  check_config_error(config_error_of([&] { validate_backtest(bt, DataSourcesConfig{}); }),
                     fixture("no_data.yaml"), 0, "data.sources",
                     "no data sources: list them under data: sources:, or run with --data DIR");
}
