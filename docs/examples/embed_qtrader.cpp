// How an application embeds qtrader: one Engine for the life of the process,
// a backtest run, a strategy changed on disk, the same Engine running again
// with the new code and the market data still in memory.
//
// usage: embed_qtrader BACKTEST.yaml [RESULTS_DIR]
//   e.g. build/docs/examples/embed_qtrader config/backtests/sample.yaml /tmp/qtrader-embed
#include <cstdio>
#include <exception>
#include <string>

#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"

namespace {

void print(const char* label, const qtrader::RunResult& r) {
  const auto& s = r.summary;
  std::printf("%s: %llu bars, %zu trades, final equity %.2f -> %s\n", label,
              static_cast<unsigned long long>(s.bars_processed), s.trades, s.final_equity,
              r.results_dir.c_str());
  for (const auto& script : s.scripts)
    std::printf("  %-12s %-20s %s  %s\n", script.kind.c_str(), script.name.c_str(), script.hash.c_str(),
                script.path.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s BACKTEST.yaml [RESULTS_DIR]\n", argv[0]);
    return 2;
  }
  qtrader::EngineOptions options;
  options.cache_market_data = true;  // keep bars in memory between runs

  qtrader::RunOptions run;
  run.quiet = true;
  if (argc > 2) run.output_dir = argv[2];

  try {
    // Reusable: every run re-reads configs and scripts. Throws when it finds
    // no data folder (QTRADER_HOME, docs/install.md) and options.root is empty.
    qtrader::Engine engine(options);
    print("first run", engine.run(argv[1], run));
    // An application would now let its user edit a strategy, write a
    // generated one into a folder listed in the backtest's script_paths, or
    // change the backtest's YAML. The next run picks up whatever is on disk,
    // in a fresh sandboxed Lua state; the CSV files are not read again.
    print("second run", engine.run(argv[1], run));
    const auto cache = engine.market_data_cache_stats();
    std::printf("market data: %zu files cached, %llu served from memory\n", cache.files,
                static_cast<unsigned long long>(cache.hits));
  } catch (const qtrader::ScriptError& e) {
    // A faulty script: the run failed, the process (and the Engine) live on.
    std::fprintf(stderr, "script error: %s\n%s\n", e.what(), e.traceback().c_str());
    return 1;
  } catch (const qtrader::ConfigError& e) {
    std::fprintf(stderr, "configuration error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
