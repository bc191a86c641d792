// The shipped config/system.yaml and config/data_sources.yaml load with the
// documented defaults, and the sample backtests validate against them.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "config_checks.hpp"
#include "qtrader/config.hpp"
#include "qtrader/time.hpp"

namespace fs = std::filesystem;
using namespace qtrader;

namespace {
std::string source_path(const std::string& relative) {
  return (fs::path(QTRADER_SOURCE_DIR) / relative).lexically_normal().string();
}
}  // namespace

TEST_CASE("shipped config/system.yaml holds the documented defaults", "[config][system]") {
  const std::string path = std::string(QTRADER_SOURCE_DIR) + "/config/system.yaml";
  const SystemConfig cfg = load_system_config(path);
  CHECK(cfg.path == path);
  CHECK(cfg.execution.fill_policy == FillPolicy::NextBarOpen);
  CHECK(cfg.execution.commission.model == CommissionKind::Percentage);
  CHECK(cfg.execution.commission.rate == 0.001);
  CHECK(cfg.execution.slippage.model == SlippageKind::None);
  CHECK(cfg.execution.volume_limit == 0.0);
  CHECK(cfg.execution.max_working_orders_per_strategy == 10000);
  CHECK(cfg.portfolio.lot_matching == LotMatching::Fifo);
  CHECK(cfg.portfolio.allow_short == true);
  CHECK(cfg.portfolio.borrow_fee_rate == 0.0);
  CHECK(cfg.portfolio.max_gross_leverage == 0.0);
  CHECK(cfg.portfolio.fractional_quantities == false);
  CHECK(cfg.output.default_results_dir == "results");
  CHECK(cfg.output.event_store.backend == EventStoreBackend::Sqlite);
  CHECK(cfg.output.event_store.filename == "events.sqlite");
  CHECK(cfg.output.organize_by_date == true);
  CHECK(cfg.output.use_timestamps == true);
  CHECK(cfg.logging.level == "info");
  CHECK(cfg.logging.file == true);
  CHECK(cfg.data.sources_config == source_path("config/data_sources.yaml"));
  CHECK(cfg.data.bar_cache.enabled == true);
  CHECK(cfg.data.bar_cache.dir == "");
  CHECK(cfg.data.default_timezone == "UTC");
}

TEST_CASE("shipped config/data_sources.yaml defines the sample source", "[config][sources]") {
  const std::string path = std::string(QTRADER_SOURCE_DIR) + "/config/data_sources.yaml";
  const DataSourcesConfig cfg = load_data_sources(path);
  REQUIRE(cfg.sources.size() == 1);
  const DataSourceConfig& s = cfg.sources[0];
  CHECK(cfg.find("sample") == &s);
  CHECK(cfg.find("Sample") == nullptr);
  CHECK(s.name == "sample");
  CHECK(s.adapter == "csv");
  CHECK(s.path == source_path("data/sample"));
  CHECK(s.layout == "yahoo");
  CHECK(s.price_mode == "raw");
  CHECK(s.timezone == "UTC");
  CHECK(s.corporate_actions.empty());
  // Yahoo layout: Date,Open,High,Low,Close,Adj Close,Volume
  CHECK(s.columns.date == 0);
  CHECK(s.columns.time == -1);
  CHECK(s.columns.open == 1);
  CHECK(s.columns.high == 2);
  CHECK(s.columns.low == 3);
  CHECK(s.columns.close == 4);
  CHECK(s.columns.adj_close == 5);
  CHECK(s.columns.volume == 6);
  CHECK(s.columns.open_interest == -1);
  CHECK(s.columns_by_name.empty());
  for (const char* symbol : {"ORCL", "YHOO", "NVDA"}) {
    const std::string file = s.file_for(symbol);
    CHECK(file == source_path(std::string("data/sample/") + symbol + ".csv"));
    std::ifstream in(file);
    std::string header;
    CHECK(std::getline(in, header));
    CHECK(header == "Date,Open,High,Low,Close,Adj Close,Volume");  // the layout read above
  }
}

TEST_CASE("shipped sample backtests validate against the shipped data sources",
          "[config][backtest]") {
  const DataSourcesConfig sources =
      load_data_sources(std::string(QTRADER_SOURCE_DIR) + "/config/data_sources.yaml");
  for (const char* name : {"sample.yaml", "sma_crossover_orcl.yaml"}) {
    INFO(name);
    const BacktestConfig bt =
        load_backtest_config(std::string(QTRADER_SOURCE_DIR) + "/config/backtests/" + name);
    CHECK_NOTHROW(validate_backtest(bt, sources));
    CHECK(bt.end_date == *parse_date("2014-12-31"));
  }
}
