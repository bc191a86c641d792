// Two Engines on two threads of one process, at the same time: each run logs
// through its own logger (qtrader/run_log.hpp), so each run.log holds its own
// run's lines only, and the process's default logger is left as it was.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "embedding_support.hpp"
#include "qtrader/engine.hpp"

using namespace qtrader;
using namespace qtrader::embedding_test;
namespace fs = std::filesystem;

namespace {

// Logs one line naming its workspace on every bar (252 bars in 2000).
std::string logging_strategy(const std::string& tag) {
  return "return { name = 'every_n',\n"
         "  on_bar = function(ctx, bar) ctx:log('info', 'from " + tag + "', bar.symbol) end }\n";
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("two Engines on two threads each write only their own run.log", "[embedding][threads]") {
  const Workspace a("two_threads_a"), b("two_threads_b");
  a.write("scripts/every_n.lua", logging_strategy("workspace-a"));
  b.write("scripts/every_n.lua", logging_strategy("workspace-b"));
  const auto default_before = spdlog::default_logger();

  RunResult ra, rb;
  const auto run = [](const Workspace& ws, RunResult& out) {
    RunOptions options;
    options.quiet = true;
    options.report = false;
    options.output_dir = (ws.dir / "results").string();
    Engine engine;
    out = engine.run(ws.backtest(), options);
  };
  // Several rounds: the two runs overlap for most of their bars.
  for (int round = 0; round < 3; ++round) {
    std::thread ta(run, std::cref(a), std::ref(ra));
    std::thread tb(run, std::cref(b), std::ref(rb));
    ta.join();
    tb.join();
    const std::string log_a = slurp(fs::path(ra.results_dir) / "run.log");
    const std::string log_b = slurp(fs::path(rb.results_dir) / "run.log");
    CHECK(count(log_a, ": from workspace-a ") == 252);
    CHECK(count(log_a, "workspace-b") == 0);
    CHECK(count(log_b, ": from workspace-b ") == 252);
    CHECK(count(log_b, "workspace-a") == 0);
    CHECK(count(log_a, "backtest " + a.backtest() + " -> ") == 1);
    CHECK(count(log_b, "backtest " + b.backtest() + " -> ") == 1);
    CHECK(count(log_a, b.backtest()) == 0);
    CHECK(count(log_b, a.backtest()) == 0);
  }
  CHECK(spdlog::default_logger() == default_before);
}

TEST_CASE("a run reports its progress to the callback it is given, and ends with done", "[embedding][progress]") {
  const Workspace ws("progress_callback");
  ws.write("scripts/every_n.lua", every_n(100, 10));
  // Paced at 4 ms a bar: 252 bars take about a second, four reports or so.
  std::string yaml = slurp(ws.backtest());
  ws.write("backtest.yaml", "replay_speed: 0.004\n" + yaml);
  RunOptions options;
  options.quiet = true;
  options.report = false;
  options.output_dir = (ws.dir / "results").string();
  std::vector<RunProgress> reports;
  options.on_progress = [&](const RunProgress& p) { reports.push_back(p); };
  Engine engine;
  const RunResult r = engine.run(ws.backtest(), options);
  CHECK(r.summary.bars_processed == 252);
  REQUIRE(reports.size() >= 2);
  for (std::size_t i = 0; i + 1 < reports.size(); ++i) {
    CHECK_FALSE(reports[i].done);
    CHECK(reports[i].percent >= 0);
    CHECK(reports[i].percent <= 100);  // a report may fall on the last bar
    CHECK(reports[i].sim_date.rfind("2000-", 0) == 0);
    if (i) CHECK(reports[i].bars >= reports[i - 1].bars);
  }
  CHECK(reports.back().done);
  CHECK(reports.back().sim_date == "2000-12-29");  // the last bar of the run
  CHECK(reports.back().bars == 252);
  CHECK(reports.back().percent == 100.0);
}
