// The embedding API a sweep is built on: param overrides, an exact results
// folder, the memory event store, and preloaded market data.
#include <unistd.h>
#include <catch2/catch.hpp>

#include "file_text.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "expect_error.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kBacktest = std::string(QTRADER_SOURCE_DIR) + "/tests/sweep/orcl.yaml";

qtrader::EngineOptions engine_options(bool cache = false) {
  qtrader::EngineOptions o;
  o.system_config = std::string(QTRADER_FIXTURES_DIR) + "/cli/system.yaml";
  o.cache_market_data = cache;
  return o;
}

std::string read_file(const fs::path& p) { return qtrader::test::file_text(p.string()); }

}  // namespace

TEST_CASE("RunOptions: params as YAML overrides, the exact results folder, events in memory",
          "[sweep][embedding]") {
  const fs::path base = fs::temp_directory_path() / ("qtrader-sweep-options-" + std::to_string(getpid()));
  fs::remove_all(base);
  qtrader::Engine engine(engine_options());
  qtrader::RunOptions run;
  run.quiet = true;
  run.report = false;
  run.results_dir = (base / "exact").string();
  run.memory_event_store = true;
  run.params = {{"fast", "12"}, {"sma.slow", "40"}, {"risk.quantity", "7"}};
  const auto overridden = engine.run(kBacktest, run);
  CHECK(overridden.results_dir == (base / "exact").string());
  CHECK(fs::exists(base / "exact" / "trades.csv"));
  CHECK_FALSE(fs::exists(base / "exact" / "events.sqlite"));

  // The same as writing the values into the YAML.
  fs::create_directories(base);
  std::string yaml = read_file(kBacktest);
  yaml.replace(yaml.find("{fast: 10, slow: 30}"), 20, "{fast: 12, slow: 40}");
  yaml.replace(yaml.find("{quantity: 100}"), 15, "{quantity: 7}");
  std::ofstream(base / "edited.yaml") << yaml;
  qtrader::RunOptions plain;
  plain.quiet = true;
  plain.report = false;
  plain.output_dir = (base / "runs").string();
  const auto edited = engine.run((base / "edited.yaml").string(), plain);
  CHECK(fs::exists(fs::path(edited.results_dir) / "events.sqlite"));
  CHECK(read_file(fs::path(edited.results_dir) / "trades.csv") ==
        read_file(base / "exact" / "trades.csv"));
  CHECK(overridden.summary.trades == edited.summary.trades);
  CHECK(overridden.summary.final_equity == edited.summary.final_equity);
  CHECK(overridden.summary.trades > 10);

  // A later override of the same name wins; a bad one is a ConfigError at "--param".
  run.params = {{"fast", "3"}, {"fast", "x"}};
  const auto e = qtrader::test::expect_error<qtrader::ConfigError>([&] { engine.run(kBacktest, run); });
  CHECK(e.file() == "--param");
  CHECK(e.line() == 2);
  CHECK(e.key() == "strategies[sma].config.fast");
}

TEST_CASE("preload reads the market data once and runs then find it in memory", "[sweep][embedding]") {
  qtrader::Engine engine(engine_options(true));
  engine.preload(kBacktest);
  CHECK(engine.market_data_cache_stats().misses == 1);
  CHECK(engine.market_data_cache_stats().hits == 0);
  qtrader::RunOptions run;
  run.quiet = true;
  run.report = false;
  run.memory_event_store = true;
  run.results_dir = (fs::temp_directory_path() / ("qtrader-sweep-preload-" + std::to_string(getpid()))).string();
  engine.run(kBacktest, run);
  CHECK(engine.market_data_cache_stats().misses == 1);
  CHECK(engine.market_data_cache_stats().hits == 1);

  qtrader::Engine uncached(engine_options(false));
  CHECK_THROWS_MATCHES(uncached.preload(kBacktest), std::logic_error,
                       Catch::Message("Engine::preload needs EngineOptions::cache_market_data"));
}

TEST_CASE("check_param_names accepts declared params and names an undeclared one",
          "[sweep][embedding]") {
  const qtrader::Engine engine(engine_options());
  engine.check_param_names(kBacktest, {"fast", "sma.slow", "risk.quantity"});
  const auto e = qtrader::test::expect_error<qtrader::ConfigError>(
      [&] { engine.check_param_names(kBacktest, {"fast", "risk.size"}); });
  CHECK(std::string(e.what()) ==
        "--param:2: key 'risk_policy.config.size': risk policy 'fixed_quantity' has no parameter "
        "'size' (its parameters: quantity)");
}
