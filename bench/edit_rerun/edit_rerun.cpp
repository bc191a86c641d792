// Scenario 5 of docs/benchmarks.md: the time from a changed strategy file to
// finished results, through the embedding API, as `qtrader watch` does it.
//
// usage: edit_rerun BACKTEST.yaml SYSTEM.yaml STRATEGY.lua OUTPUT_DIR [EDITS] [--report]
//
// One Engine keeps the market data in memory (EngineOptions::cache_market_data,
// as watch does). After one warm-up run, each edit rewrites STRATEGY.lua with
// a different `fast` period default (10, 11, 12, ...: a real change of
// behaviour), then times Engine::run from the moment the file is saved to the
// moment results (trades, fills, equity, summary; plus metrics.json and
// report.html with --report) are on disk. Prints each time and the median.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "qtrader/engine.hpp"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s BACKTEST.yaml SYSTEM.yaml STRATEGY.lua OUTPUT_DIR [EDITS] [--report]\n",
                 argv[0]);
    return 2;
  }
  const std::string backtest = argv[1], system = argv[2], strategy = argv[3], output = argv[4];
  int edits = 5;
  bool report = false;
  for (int i = 5; i < argc; ++i) {
    if (std::strcmp(argv[i], "--report") == 0) report = true;
    else edits = std::atoi(argv[i]);
  }

  const std::string original = read_file(strategy);
  const std::regex fast_default(R"(fast = \{ default = \d+)");
  if (!std::regex_search(original, fast_default)) {
    std::fprintf(stderr, "%s: no `fast = { default = N` to edit\n", strategy.c_str());
    return 2;
  }

  qtrader::EngineOptions eo;
  eo.system_config = system;
  eo.cache_market_data = true;
  qtrader::Engine engine(eo);
  qtrader::RunOptions ro;
  ro.output_dir = output;
  ro.quiet = true;
  ro.report = report;

  auto warm = engine.run(backtest, ro);  // fills the market-data cache, like watch's first run
  std::printf("warm-up run: %llu bars, %zu trades\n",
              static_cast<unsigned long long>(warm.summary.bars_processed), warm.summary.trades);

  std::vector<double> ms;
  for (int e = 0; e < edits; ++e) {
    const std::string edited =
        std::regex_replace(original, fast_default, "fast = { default = " + std::to_string(11 + e % 5));
    const auto t0 = std::chrono::steady_clock::now();
    write_file(strategy, edited);
    const auto r = engine.run(backtest, ro);
    const double t = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    ms.push_back(t);
    std::printf("edit %d: fast=%d  %llu bars  %zu trades  %.1f ms\n", e + 1, 11 + e % 5,
                static_cast<unsigned long long>(r.summary.bars_processed), r.summary.trades, t);
  }
  write_file(strategy, original);
  std::sort(ms.begin(), ms.end());
  const double median = ms.size() % 2 ? ms[ms.size() / 2] : (ms[ms.size() / 2 - 1] + ms[ms.size() / 2]) / 2;
  std::printf("edit-to-results median of %zu: %.1f ms (%s)\n", ms.size(), median,
              report ? "with metrics.json and report.html" : "results files, no report");
  return 0;
}
