// The embedding API as an application uses it: one Engine, a backtest, a
// strategy edited on disk between runs, market data kept in memory.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/hash.hpp"
#include "embedding_support.hpp"

using namespace qtrader;
using namespace qtrader::embedding_test;
namespace fs = std::filesystem;

namespace {

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("embedding: edit a strategy between two runs of one Engine", "[embedding]") {
  Workspace ws;
  const std::string script = ws.write("scripts/every_n.lua", every_n(100, 10));
  EngineOptions options;
  options.cache_market_data = true;
  Engine engine(options);
  RunOptions run;
  run.output_dir = (ws.dir / "results").string();
  run.quiet = true;

  const RunResult first = engine.run(ws.backtest(), run);
  // 252 trading days in 2000: opens on bars 1, 101, 201, closes 10 bars later.
  CHECK(first.summary.bars_processed == 252);
  CHECK(first.summary.trades == 3);
  REQUIRE(first.summary.scripts.size() == 2);
  CHECK(first.summary.scripts[0].name == "every_n");
  CHECK(first.summary.scripts[0].kind == "strategy");
  CHECK(first.summary.scripts[0].path == fs::canonical(script).string());
  CHECK(first.summary.scripts[0].hash == file_hash_hex(script));
  CHECK(first.summary.scripts[1].name == "fixed_quantity");
  CHECK(first.summary.scripts[1].kind == "risk_policy");
  CHECK(engine.market_data_cache_stats().misses == 1);
  CHECK(engine.market_data_cache_stats().hits == 0);

  // The application rewrites the strategy; the same Engine runs the new code.
  ws.write("scripts/every_n.lua", every_n(20, 5));
  const RunResult second = engine.run(ws.backtest(), run);
  CHECK(second.summary.bars_processed == 252);
  CHECK(second.summary.trades == 13);  // opens on bars 1, 21, ..., 241
  CHECK(second.summary.scripts[0].hash == file_hash_hex(script));
  CHECK(second.summary.scripts[0].hash != first.summary.scripts[0].hash);
  // The bars came from memory the second time.
  CHECK(engine.market_data_cache_stats().misses == 1);
  CHECK(engine.market_data_cache_stats().hits == 1);
  CHECK(engine.market_data_cache_stats().files == 1);

  // summary.json records the scripts and their hashes.
  const auto summary = read_json(second.results_dir + "/summary.json");
  REQUIRE(summary["scripts"].size() == 2);
  CHECK(summary["scripts"][0]["name"] == "every_n");
  CHECK(summary["scripts"][0]["hash"] == second.summary.scripts[0].hash);
  CHECK(summary["trades"] == 13);
}

TEST_CASE("embedding: a broken edit is an error and the Engine runs the fixed script next", "[embedding]") {
  Workspace ws;
  ws.write("scripts/every_n.lua", every_n(100, 10));
  Engine engine;
  RunOptions run;
  run.output_dir = (ws.dir / "results").string();
  run.quiet = true;
  CHECK(engine.run(ws.backtest(), run).summary.trades == 3);

  // A runtime error on the third bar.
  ws.write("scripts/every_n.lua",
           "local n = 0\nreturn { name = 'every_n',\n  on_bar = function(ctx, bar)\n    n = n + 1\n"
           "    if n == 3 then local x = nil; return x.field end\n  end }\n");
  try {
    engine.run(ws.backtest(), run);
    FAIL("expected a ScriptError");
  } catch (const ScriptError& e) {
    CHECK(e.kind() == ScriptError::Kind::Runtime);
    CHECK(e.callback() == "on_bar");
    CHECK_THAT(e.message(), Catch::Contains("every_n.lua:5: attempt to index local 'x'"));
    CHECK_THAT(e.traceback(), Catch::StartsWith("stack traceback:"));
  }
  // A syntax error.
  ws.write("scripts/every_n.lua", "return { name = 'every_n', on_bar = function(ctx, bar) if then end }\n");
  try {
    engine.run(ws.backtest(), run);
    FAIL("expected a ScriptError");
  } catch (const ScriptError& e) {
    CHECK(e.kind() == ScriptError::Kind::Load);
    CHECK_THAT(e.script(), Catch::EndsWith("every_n.lua"));
    CHECK_THAT(e.message(), Catch::Contains("every_n.lua:1: unexpected symbol near 'then'"));
  }

  ws.write("scripts/every_n.lua", every_n(20, 5));
  CHECK(engine.run(ws.backtest(), run).summary.trades == 13);
}

TEST_CASE("embedding: the cache re-reads a data file that changed", "[embedding]") {
  Workspace ws;
  ws.write("scripts/every_n.lua", every_n(100, 10));
  fs::create_directories(ws.dir / "data");
  // A copy of ORCL's 2000 rows through a data source of our own.
  std::ifstream orcl(std::string(QTRADER_SOURCE_DIR) + "/data/sample/ORCL.csv");
  std::string line, header, rows;
  std::getline(orcl, header);
  int n = 0;
  while (std::getline(orcl, line))
    if (line.rfind("2000-", 0) == 0) {
      rows += line + "\n";
      ++n;
    }
  REQUIRE(n == 252);
  ws.write("data/ORCL.csv", header + "\n" + rows);
  ws.write("data_sources.yaml", "sources:\n  sample:\n    adapter: csv\n    path: data\n    layout: yahoo\n");
  std::ifstream sys_in(std::string(QTRADER_SOURCE_DIR) + "/config/system.yaml");
  std::stringstream sys;
  sys << sys_in.rdbuf();
  const std::string system = ws.write("system.yaml", sys.str());

  EngineOptions options;
  options.cache_market_data = true;
  options.system_config = system;
  Engine engine(options);
  RunOptions run;
  run.output_dir = (ws.dir / "results").string();
  run.quiet = true;
  CHECK(engine.run(ws.backtest(), run).summary.bars_processed == 252);
  CHECK(engine.run(ws.backtest(), run).summary.bars_processed == 252);
  CHECK(engine.market_data_cache_stats().hits == 1);

  // Drop the last 52 rows: the file's size changes, so it is read again.
  std::string shorter;
  std::istringstream in(rows);
  for (int i = 0; i < 200 && std::getline(in, line); ++i) shorter += line + "\n";
  ws.write("data/ORCL.csv", header + "\n" + shorter);
  CHECK(engine.run(ws.backtest(), run).summary.bars_processed == 200);
  CHECK(engine.market_data_cache_stats().misses == 2);
}

TEST_CASE("embedding: sandbox.max_signals_per_callback above 10000 takes effect", "[embedding][signals]") {
  Workspace ws;
  // 10005 signals in the first on_bar, none after.
  ws.write("scripts/every_n.lua",
           "local n = 0\nreturn { name = 'every_n',\n  on_bar = function(ctx, bar)\n    n = n + 1\n"
           "    if n == 1 then for i = 1, 10005 do ctx:emit_signal{ symbol = bar.symbol, intention = 'close_long' } end end\n"
           "  end }\n");
  ws.write("data_sources.yaml", "sources:\n  sample:\n    adapter: csv\n    path: " + std::string(QTRADER_SOURCE_DIR) +
                                    "/data/sample\n    layout: yahoo\n");
  std::ifstream sys_in(std::string(QTRADER_SOURCE_DIR) + "/config/system.yaml");
  std::stringstream sys;
  sys << sys_in.rdbuf();
  auto system_with_limit = [&](int limit) {
    std::string text = sys.str();
    const std::string key = "max_signals_per_callback: 10000";
    const auto at = text.find(key);
    REQUIRE(at != std::string::npos);
    text.replace(at, key.size(), "max_signals_per_callback: " + std::to_string(limit));
    return ws.write("system.yaml", text);
  };
  RunOptions run;
  run.output_dir = (ws.dir / "results").string();
  run.quiet = true;
  {
    EngineOptions options;
    options.system_config = system_with_limit(20000);
    Engine engine(options);
    CHECK(engine.run(ws.backtest(), run).summary.signals == 10005);
  }
  {
    EngineOptions options;
    options.system_config = system_with_limit(10004);
    Engine engine(options);
    try {
      engine.run(ws.backtest(), run);
      FAIL("expected a ScriptError");
    } catch (const ScriptError& e) {
      CHECK_THAT(e.message(), Catch::Contains("more than 10004 signals in one callback"));
    }
  }
}

TEST_CASE("embedding: the risk service rejects a signal its policy left unanswered", "[embedding][risk]") {
  Workspace ws;
  ws.write("scripts/silent.lua",
           "return { name = 'silent', kind = 'risk_policy', evaluate = function(ctx, signals, portfolio) return {} end }\n");
  ws.write("scripts/checks_reason.lua",
           "return { name = 'checks_reason',\n"
           "  on_bar = function(ctx, bar) ctx:emit_signal{ symbol = bar.symbol, intention = 'open_long' } end,\n"
           "  on_order = function(ctx, o)\n"
           "    assert(o.status == 'rejected' and o.reason == 'no decision from risk policy', tostring(o.reason))\n"
           "  end }\n");
  std::string backtest = "start_date: 2000-01-03\nend_date: 2000-01-31\ninitial_equity: 100000\n"
                         "script_paths: [scripts]\ndata:\n  sources:\n    - name: sample\n      universe: [ORCL]\n"
                         "strategies:\n  - strategy_id: mine\n    name: checks_reason\n    universe: [ORCL]\n"
                         "risk_policy:\n  name: silent\n";
  const std::string path = ws.write("silent.yaml", backtest);
  RunOptions run;
  run.output_dir = (ws.dir / "results").string();
  run.quiet = true;
  Engine engine;
  const RunSummary s = engine.run(path, run).summary;
  CHECK(s.signals > 0);
  CHECK(s.rejections == s.signals);
  CHECK(s.orders == 0);
}
