// load_data_sources, DataSourceConfig::file_for and resolve_columns.
#include <array>
#include <catch2/catch.hpp>

#include "config_checks.hpp"
#include "qtrader/config.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {
void check_columns(const ColumnMap& c, std::array<int, 9> expected) {
  const std::array<int, 9> got{c.date,  c.time,      c.open,   c.high,         c.low,
                               c.close, c.adj_close, c.volume, c.open_interest};
  CHECK(got == expected);
}
}  // namespace

TEST_CASE("data sources: layouts, custom columns, defaults and resolved paths",
          "[config][sources]") {
  const std::string file = config_fixture("data_sources_valid.yaml");
  const DataSourcesConfig cfg = load_data_sources(file);
  CHECK(cfg.path == file);
  REQUIRE(cfg.sources.size() == 3);

  const DataSourceConfig* daily = cfg.find("daily");
  REQUIRE(daily == &cfg.sources[0]);
  CHECK(daily->adapter == "csv");
  CHECK(daily->path == resolved_fixture("data/folder"));
  CHECK(daily->layout == "yahoo");
  //                     date time open high low close adj vol oi
  check_columns(daily->columns, {0, -1, 1, 2, 3, 4, 5, 6, -1});
  CHECK(daily->price_mode == "adjusted");
  CHECK(daily->timezone == "America/New_York");
  CHECK(daily->where.file == file);
  CHECK(daily->where.line == 3);

  const DataSourceConfig* minute = cfg.find("minute");
  REQUIRE(minute == &cfg.sources[1]);
  CHECK(minute->adapter == "csv");
  CHECK(minute->path == resolved_fixture("data/pattern/{symbol}_1m.txt"));
  CHECK(minute->layout == "custom");
  check_columns(minute->columns, {0, 1, -1, 3, 4, -1, -1, 6, -1});
  REQUIRE(minute->columns_by_name.size() == 2);
  CHECK(minute->columns_by_name[0].field == "open");
  CHECK(minute->columns_by_name[0].header == "Open");
  CHECK(minute->columns_by_name[0].where.line == 15);
  CHECK(minute->columns_by_name[1].field == "close");
  CHECK(minute->columns_by_name[1].header == "Last");
  CHECK(minute->columns_by_name[1].where.line == 18);
  CHECK(minute->price_mode == "raw");
  CHECK(minute->timezone == "UTC");
  CHECK(minute->where.line == 9);

  const DataSourceConfig* futures = cfg.find("futures");
  REQUIRE(futures == &cfg.sources[2]);
  CHECK(futures->layout == "ohlcv");
  check_columns(futures->columns, {0, -1, 1, 2, 3, 4, -1, 5, 6});
  // A corporate-actions file, resolved like every path; none by default.
  CHECK(futures->corporate_actions == resolved_fixture("actions.csv"));
  CHECK(daily->corporate_actions.empty());

  CHECK(cfg.find("weekly") == nullptr);
}

TEST_CASE("data sources: file_for in a folder prefers .csv, then .txt", "[config][sources]") {
  const DataSourcesConfig cfg = load_data_sources(config_fixture("data_sources_valid.yaml"));
  const DataSourceConfig& daily = *cfg.find("daily");
  CHECK(daily.file_for("AAA") == resolved_fixture("data/folder/AAA.csv"));
  CHECK(daily.file_for("BBB") == resolved_fixture("data/folder/BBB.txt"));  // only .txt exists
  CHECK(daily.file_for("CCC") == resolved_fixture("data/folder/CCC.csv"));  // both exist
  CHECK(daily.file_for("ZZZ") ==
        resolved_fixture("data/folder/ZZZ.csv"));  // neither: the expected name
  // A trailing slash on the folder changes nothing.
  CHECK(cfg.find("futures")->file_for("BBB") == resolved_fixture("data/folder/BBB.txt"));
}

TEST_CASE("data sources: file_for substitutes {symbol}", "[config][sources]") {
  const DataSourcesConfig cfg = load_data_sources(config_fixture("data_sources_valid.yaml"));
  CHECK(cfg.find("minute")->file_for("ES") == resolved_fixture("data/pattern/ES_1m.txt"));
  DataSourceConfig twice;
  twice.path = "/d/{symbol}/{symbol}.csv";
  CHECK(twice.file_for("ORCL") == "/d/ORCL/ORCL.csv");
}

TEST_CASE("data sources: header names resolve against the file's header", "[config][sources]") {
  const std::string file = config_fixture("data_sources_valid.yaml");
  const DataSourcesConfig cfg = load_data_sources(file);
  const DataSourceConfig& minute = *cfg.find("minute");
  const ColumnMap c =
      minute.resolve_columns({"Date", "Time", " Open ", "High", "Low", "Last", "Vol"}, "ES_1m.txt");
  check_columns(c, {0, 1, 2, 3, 4, 5, -1, 6, -1});
  check_config_error(
      config_error_of([&] {
        minute.resolve_columns({"Date", "Time", "O", "H", "L", "Last"}, "ES_1m.txt");
      }),
      file, 15, "sources.minute.columns.open",
      "column 'Open' is not in the header of ES_1m.txt (header: Date, Time, O, H, L, Last)");
}

TEST_CASE("data sources: price_mode adjusted needs adj_close", "[config][sources][errors]") {
  const std::string file = config_fixture("ds_adjusted_without_adj_close.yaml");
  check_config_error(config_error_of([&] { load_data_sources(file); }), file, 5,
                     "sources.futures.price_mode",
                     "price_mode adjusted needs an adj_close column (layout ohlcv has none)");
}

TEST_CASE("data sources: columns only with layout custom", "[config][sources][errors]") {
  const std::string file = config_fixture("ds_columns_with_fixed_layout.yaml");
  check_config_error(config_error_of([&] { load_data_sources(file); }), file, 5,
                     "sources.daily.columns",
                     "columns are fixed by layout 'yahoo'; use layout: custom to map them");
}

TEST_CASE("data sources: custom columns need date, open, high, low, close",
          "[config][sources][errors]") {
  const std::string file = config_fixture("ds_custom_missing_close.yaml");
  check_config_error(config_error_of([&] { load_data_sources(file); }), file, 5,
                     "sources.custom.columns.close", "missing required column 'close'");
}

TEST_CASE("data sources: a source defined twice", "[config][sources][errors]") {
  const std::string file = config_fixture("ds_duplicate_source.yaml");
  check_config_error(config_error_of([&] { load_data_sources(file); }), file, 6, "sources.sample",
                     "duplicate key 'sample' (first given at line 2)");
}
