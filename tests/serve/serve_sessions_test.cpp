// `qtrader serve` driven over real HTTP and WebSocket: a session's progress
// and end, a failing script, a stop, the queue, and a server killed mid-run.
#include <catch2/catch.hpp>

#include <signal.h>

#include <map>
#include <set>

#include "serve_fixture.hpp"
#include "shell_command.hpp"

using namespace qtrader::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

std::set<std::string> keys_of(const json& j) {
  std::set<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.insert(k);
  return keys;
}

// `qtrader run` of the same backtest: its summary.json.
json cli_summary(const TempDir& dir, const std::string& backtest) {
  const auto r = run_shell(std::string(QTRADER_BINARY) + " run " + backtest + " --system " +
                           fixture("cli/system.yaml") + " --output " + (dir / "cli").string() + " --quiet");
  REQUIRE(r.status == 0);
  std::string folder = r.out;
  while (!folder.empty() && folder.back() == '\n') folder.pop_back();
  return json::parse(file_text(folder + "/summary.json"));
}

}  // namespace

TEST_CASE("serve: a session streams its progress and ends with the figures qtrader run gives", "[serve]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir), (dir / "server.log").string());
  WsTestClient ws(server.port());
  const double wall = 1.5;
  const std::string id = start_session(server.port(), fixture("serve/orcl_sma.yaml"), lasting(wall));
  CHECK(id == "s000001");

  const auto messages = ws.until("backtest.completed", id, 20s);
  REQUIRE(!messages.empty());
  REQUIRE(messages.back()["type"] == "backtest.completed");
  std::vector<double> pct;
  for (const auto& m : messages) {
    if (m["type"] != "backtest.progress") continue;
    CHECK(keys_of(m) == std::set<std::string>{"type", "data"});
    CHECK(keys_of(m["data"]) == std::set<std::string>{"session_id", "progress_pct", "current_timestamp",
                                                      "current_pnl", "open_positions", "equity"});
    CHECK(m["data"]["equity"].get<double>() == Approx(100000 + m["data"]["current_pnl"].get<double>()));
    pct.push_back(m["data"]["progress_pct"].get<double>());
  }
  // 250 ms apart over 1.5 s of pacing.
  REQUIRE(pct.size() >= 3);
  for (std::size_t i = 1; i < pct.size(); ++i) CHECK(pct[i] > pct[i - 1]);
  CHECK(pct.front() > 0);
  CHECK(pct.back() < 100);

  const json done = messages.back()["data"];
  CHECK(keys_of(done) == std::set<std::string>{"session_id", "final_pnl", "total_trades", "win_rate",
                                               "duration_seconds"});
  const json cli = cli_summary(dir, fixture("serve/orcl_sma.yaml"));
  CHECK(done["final_pnl"].get<double>() ==
        cli["final_equity"].get<double>() - cli["initial_equity"].get<double>());
  CHECK(done["total_trades"] == cli["trades"]);
  CHECK(done["total_trades"] == 12);
  CHECK(done["win_rate"].get<double>() == Approx(5.0 / 12.0));
  // The pacing: the simulated span cannot pass faster than the factor allows.
  CHECK(done["duration_seconds"].get<double>() >= wall * 0.95);
  // Nor much slower: the child's start-up and the run's own work (about 0.1 s
  // here) fit in the tolerance of a second.
  CHECK(done["duration_seconds"].get<double>() <= wall + 1.0);

  const json s = session(server.port(), id);
  CHECK(s["status"] == "completed");
  CHECK(s["progress_pct"] == 100.0);
  CHECK(s["final_pnl"] == done["final_pnl"]);
  CHECK(s["current_timestamp"] == "2012-12-31");
  const auto trades = http_get(server.port(), "/api/backtest/sessions/" + id + "/trades");
  REQUIRE(trades.status == 200);
  CHECK(trades.json()["rows"].size() == 12);
  CHECK(trades.json()["columns"][0] == "strategy_id");
  const auto equity = http_get(server.port(), "/api/backtest/sessions/" + id + "/equity");
  REQUIRE(equity.status == 200);
  CHECK(equity.json()["rows"].size() == 754);
  // Each progress message's equity is equity.csv's at its timestamp.
  std::map<std::string, double> curve;
  const json equity_rows = equity.json()["rows"];
  for (const auto& row : equity_rows) curve[row[0].get<std::string>()] = row[2].get<double>();
  for (const auto& m : messages) {
    if (m["type"] != "backtest.progress") continue;
    INFO(m.dump());
    REQUIRE(curve.count(m["data"]["current_timestamp"].get<std::string>()) == 1);
    CHECK(m["data"]["equity"].get<double>() == curve[m["data"]["current_timestamp"].get<std::string>()]);
  }
  const auto metrics = http_get(server.port(), "/api/backtest/sessions/" + id + "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.json()["portfolio"]["final_equity"] == cli["final_equity"]);
  const auto report = http_get(server.port(), "/api/backtest/sessions/" + id + "/report");
  REQUIRE(report.status == 200);
  CHECK(report.content_type == "text/html; charset=utf-8");
  CHECK(report.body.find("<html") != std::string::npos);

  server.kill_now(SIGTERM);
  CHECK(no_process_left(dir));
}

TEST_CASE("serve: a failing script ends its session failed with the script's file and line", "[serve]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir), (dir / "server.log").string());
  WsTestClient ws(server.port());
  const std::string id = start_session(server.port(), fixture("serve/fails_on_bar.yaml"));
  const auto messages = ws.until("backtest.failed", id, 20s);
  REQUIRE(!messages.empty());
  const json failed = messages.back();
  REQUIRE(failed["type"] == "backtest.failed");
  CHECK(keys_of(failed["data"]) == std::set<std::string>{"session_id", "error"});
  const std::string error = failed["data"]["error"];
  CHECK_THAT(error, Catch::Contains("fails_on_bar.lua:9: attempt to index local 't' (a nil value)"));
  const json s = session(server.port(), id);
  CHECK(s["status"] == "failed");
  CHECK(s["error_message"] == error);
  // The server goes on.
  CHECK(http_get(server.port(), "/api/backtest/sessions").status == 200);
}

TEST_CASE("serve: a stopped session keeps its results and a queued one waits as started", "[serve]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir, {"--max-running", "1"}), (dir / "server.log").string());
  WsTestClient ws(server.port());
  const std::string first = start_session(server.port(), fixture("serve/orcl_sma.yaml"), lasting(6));
  const std::string second = start_session(server.port(), fixture("serve/orcl_sma.yaml"), lasting(6));
  WsTestClient second_only(server.port(), "/ws?session_id=" + second);

  // The first runs; the second waits for its place.
  json progress;
  for (int i = 0; i < 40; ++i) {
    const auto m = ws.next(5s);  // the first message waits for the child's start-up: slow on a loaded machine
    REQUIRE(m);
    if ((*m)["type"] == "backtest.progress" && (*m)["data"]["progress_pct"].get<double>() > 5) {
      progress = *m;
      break;
    }
  }
  REQUIRE(progress["data"]["session_id"] == first);
  CHECK(session(server.port(), first)["status"] == "running");
  CHECK(session(server.port(), second)["status"] == "started");
  const auto active = http_get(server.port(), "/api/backtest/active").json();
  REQUIRE(active.size() == 2);
  CHECK(active[0]["session_id"] == first);
  CHECK(active[1]["session_id"] == second);

  // A queued session stops at once; a running one at its next timestamp.
  CHECK(http_post(server.port(), "/api/backtest/sessions/" + second + "/stop", "").status == 200);
  const auto second_end = ws.until("backtest.stopped", second, 5s);
  REQUIRE(!second_end.empty());
  CHECK(second_end.back()["type"] == "backtest.stopped");
  CHECK(http_post(server.port(), "/api/backtest/sessions/" + first + "/stop", "").status == 200);
  const auto first_end = ws.until("backtest.stopped", first, 10s);
  REQUIRE(!first_end.empty());
  REQUIRE(first_end.back()["type"] == "backtest.stopped");

  const json s = session(server.port(), first);
  CHECK(s["status"] == "stopped");
  CHECK(s["progress_pct"].get<double>() > 5);
  CHECK(s["progress_pct"].get<double>() < 100);
  CHECK_THAT(s["error_message"].get<std::string>(), Catch::StartsWith("interrupted before"));
  // What the run had done is kept.
  const auto equity = http_get(server.port(), "/api/backtest/sessions/" + first + "/equity");
  REQUIRE(equity.status == 200);
  CHECK(equity.json()["rows"].size() > 10);
  CHECK(equity.json()["rows"].size() < 754);
  CHECK(session(server.port(), second)["status"] == "stopped");
  CHECK(http_get(server.port(), "/api/backtest/active").json().empty());
  // A client of one session hears of that one only.
  std::vector<json> heard;
  while (auto m = second_only.next(std::chrono::milliseconds(100))) heard.push_back(*m);
  REQUIRE(heard.size() == 1);
  CHECK(heard[0]["type"] == "backtest.stopped");
  CHECK(heard[0]["data"]["session_id"] == second);
  // Stopping an ended session is a conflict, not a new stop.
  CHECK(http_post(server.port(), "/api/backtest/sessions/" + first + "/stop", "").status == 409);
}

TEST_CASE("serve: a server killed mid-run leaves that session failed and the others intact after a restart", "[serve]") {
  TempDir dir("serve");
  json completed;
  {
    ServeProcess server(serve_args(dir), (dir / "server.log").string());
    WsTestClient ws(server.port());
    const std::string quick = start_session(server.port(), fixture("serve/orcl_sma.yaml"));
    REQUIRE(ws.until("backtest.completed", quick, 20s).back()["type"] == "backtest.completed");
    completed = session(server.port(), quick);
    const std::string slow = start_session(server.port(), fixture("serve/orcl_sma.yaml"), lasting(6));
    REQUIRE(ws.until("backtest.progress", slow, 10s).back()["type"] == "backtest.progress");
    CHECK(server.kill_now(SIGKILL) == SIGKILL);
    // The session's process dies with its server.
    CHECK(no_process_left(dir));
  }
  ServeProcess server(serve_args(dir), (dir / "server.log").string());
  const json quick = session(server.port(), "s000001");
  CHECK(quick == completed);
  const json slow = session(server.port(), "s000002");
  CHECK(slow["status"] == "failed");
  CHECK(slow["error_message"] == "server stopped");
  CHECK(http_get(server.port(), "/api/backtest/sessions/s000001/trades").json()["rows"].size() == 12);
  CHECK(http_get(server.port(), "/api/backtest/active").json().empty());
  // Numbering goes on.
  CHECK(start_session(server.port(), fixture("serve/orcl_sma.yaml")) == "s000003");
  server.kill_now(SIGTERM);
  CHECK(no_process_left(dir));
}

TEST_CASE("serve: a session whose process crashes fails and the server goes on", "[serve]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir), (dir / "server.log").string());
  WsTestClient ws(server.port());
  const std::string id = start_session(server.port(), fixture("serve/orcl_sma.yaml"), lasting(6));
  REQUIRE(ws.until("backtest.progress", id, 10s).back()["type"] == "backtest.progress");
  // What a segfault in the engine or a script's C call would do.
  std::vector<pid_t> workers;
  for (pid_t pid : processes_mentioning(dir.str()))
    if (pid != server.pid()) workers.push_back(pid);
  REQUIRE(workers.size() == 1);
  kill(workers[0], SIGSEGV);
  const auto end = ws.until("backtest.failed", id, 10s);
  REQUIRE(end.back()["type"] == "backtest.failed");
  CHECK(end.back()["data"]["error"] == "the session's process ended by signal 11 (see session.log)");
  const json s = session(server.port(), id);
  CHECK(s["status"] == "failed");
  CHECK(s["progress_pct"].get<double>() > 0);
  // The server takes the next one.
  const std::string next = start_session(server.port(), fixture("serve/orcl_sma.yaml"));
  CHECK(ws.until("backtest.completed", next, 20s).back()["type"] == "backtest.completed");
}
