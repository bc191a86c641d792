// The consolidation and tick keys: a source's bar_size and kind, a
// strategy's timeframe; a bad value stops at its file and line.
#include <fstream>

#include "config_checks.hpp"
#include "qtrader/config.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.str() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("bar_size and kind: ticks are read, ticks without bar_size and a bad bar_size are errors",
          "[config][consolidation]") {
  TempDir dir("cfg");
  const auto ok = load_data_sources(write(dir, "ok.yaml",
                                          "sources:\n"
                                          "  minutes: {path: m, bar_size: 5m}\n"
                                          "  trades: {path: t, kind: ticks, bar_size: 1m}\n"));
  CHECK(ok.find("minutes")->bar_size == "5m");
  CHECK(ok.find("minutes")->kind == "bars");
  CHECK(ok.find("trades")->kind == "ticks");

  const std::string bad = write(dir, "bad.yaml", "sources:\n  m:\n    path: m\n    bar_size: 7m\n");
  const ConfigError e = config_error_of([&] { load_data_sources(bad); });
  CHECK(e.line() == 4);
  CHECK_THAT(e.reason(), Catch::Contains("bar_size must be a timeframe"));

  const std::string no_size = write(dir, "nosize.yaml", "sources:\n  t:\n    path: t\n    kind: ticks\n");
  const ConfigError e2 = config_error_of([&] { load_data_sources(no_size); });
  CHECK(e2.line() == 4);
  CHECK_THAT(e2.reason(), Catch::Contains("kind ticks needs bar_size"));
}

TEST_CASE("a strategy's timeframe is read and checked", "[config][consolidation]") {
  TempDir dir("cfg");
  const std::string head =
      "start_date: 2006-01-02\nend_date: 2006-01-13\ndata:\n  sources: [{name: s, universe: [A]}]\n"
      "strategies:\n  - strategy_id: x\n    universe: [A]\n";
  const auto bt = load_backtest_config(write(dir, "ok.yaml", head + "    timeframe: 1h\n"));
  CHECK(bt.strategies.at(0).timeframe == "1h");
  const std::string bad = write(dir, "bad.yaml", head + "    timeframe: 7m\n");
  const ConfigError e = config_error_of([&] { load_backtest_config(bad); });
  CHECK(e.line() == 8);
  CHECK_THAT(e.reason(), Catch::Contains("timeframe must be"));
}
