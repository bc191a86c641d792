// What the server answers to bad requests: 400 naming the field (the CLI's
// file:line: key message for a YAML error), 404 for unknown ids and routes,
// never a 500.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "serve_fixture.hpp"

using namespace qtrader::test;
using nlohmann::json;

namespace {

json refused(unsigned short port, const std::string& body, const std::string& type = "application/json",
             const std::string& target = "/api/backtest/start") {
  const HttpReply r = http_post(port, target, body, type);
  INFO(r.body);
  CHECK(r.status == 400);
  return r.json();
}

}  // namespace

TEST_CASE("serve: a bad start request is a 400 naming the field", "[serve]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir, {"--backtests", fixture("serve")}), (dir / "server.log").string());
  const unsigned short port = server.port();
  const std::string orcl = file_text(fixture("serve/orcl_sma.yaml"));

  CHECK(refused(port, "{not json")["field"] == "body");
  CHECK(refused(port, "[1, 2]")["field"] == "body");
  const json unknown = refused(port, json{{"backtest", orcl}, {"speed", 2}}.dump());
  CHECK(unknown["field"] == "speed");
  CHECK(unknown["error"] == "unknown field 'speed' (expected backtest or name, params, acceleration_factor)");
  CHECK(refused(port, json{{"params", json::object()}}.dump())["field"] == "backtest");
  CHECK(refused(port, json{{"backtest", orcl}, {"name", "orcl_sma"}}.dump())["field"] == "backtest");
  CHECK(refused(port, json{{"backtest", 12}}.dump())["field"] == "backtest");
  CHECK(refused(port, json{{"backtest", orcl}, {"acceleration_factor", -1}}.dump())["field"] ==
        "acceleration_factor");
  CHECK(refused(port, json{{"backtest", orcl}, {"params", {{"fast", json::array()}}}}.dump())["field"] ==
        "params.fast");

  // The YAML's own errors, as `qtrader run` words them, the file being "backtest".
  std::string typo = orcl;
  typo.replace(typo.find("initial_equity: 100000"), 22, "initial_equity: lots");
  const json wrong_type = refused(port, json{{"backtest", typo}}.dump());
  CHECK(wrong_type["field"] == "initial_equity");
  CHECK_THAT(wrong_type["error"].get<std::string>(), Catch::StartsWith("backtest:5: key 'initial_equity': "));
  const json broken = refused(port, "start_date: [2010\n", "application/yaml");
  CHECK_THAT(broken["error"].get<std::string>(), Catch::StartsWith("backtest:"));
  std::string unknown_symbol = orcl;
  for (auto at = unknown_symbol.find("ORCL"); at != std::string::npos; at = unknown_symbol.find("ORCL"))
    unknown_symbol.replace(at, 4, "NOPE");
  const json no_data = refused(port, json{{"backtest", unknown_symbol}}.dump());
  CHECK_THAT(no_data["error"].get<std::string>(), Catch::Contains("NOPE"));
  // Scripts come from the server's roots only.
  const json own_scripts = refused(port, "script_paths: [/tmp]\n" + orcl, "application/yaml");
  CHECK(own_scripts["field"] == "script_paths");
  CHECK_THAT(own_scripts["error"].get<std::string>(), Catch::StartsWith("backtest:1: key 'script_paths': "));
  // Nor data files: an inline source or a benchmark file names a path.
  std::string own_data = orcl;
  own_data.replace(own_data.find("    - name: sample\n"), 19,
                   "    - name: sample\n      path: /etc\n      layout: ohlcv\n");
  const json inline_source = refused(port, json{{"backtest", own_data}}.dump());
  CHECK(inline_source["field"] == "data.sources");
  CHECK_THAT(inline_source["error"].get<std::string>(),
             Catch::StartsWith("backtest:8: key 'data.sources': a submitted backtest cannot name data files"));
  const json benchmark_file = refused(port, json{{"backtest", orcl + "benchmark: {file: /etc/passwd}\n"}}.dump());
  CHECK(benchmark_file["field"] == "benchmark");
  // A saved backtest is a name in the --backtests folder, never a path.
  CHECK(refused(port, json{{"name", "../cli/slow"}}.dump())["field"] == "name");
  CHECK(refused(port, json{{"name", "missing"}}.dump())["error"] == "name: no saved backtest 'missing'");

  // Nothing was created by the refusals.
  CHECK(http_get(port, "/api/backtest/sessions").json().empty());

  // A saved backtest by name, with a param override.
  const HttpReply saved =
      http_post(port, "/api/backtest/start", json{{"name", "orcl_sma"}, {"params", {{"fast", 5}}}}.dump());
  REQUIRE(saved.status == 200);
  CHECK(saved.json()["session_id"] == "s000001");

  // A param no script declares is known once the scripts are read, in the
  // session's process: the session fails, naming it.
  WsTestClient ws(port);
  const HttpReply undeclared =
      http_post(port, "/api/backtest/start", json{{"backtest", orcl}, {"params", {{"nope", 3}}}}.dump());
  REQUIRE(undeclared.status == 200);
  const auto end = ws.until("backtest.failed", "s000002", std::chrono::seconds(20));
  REQUIRE(!end.empty());
  REQUIRE(end.back()["type"] == "backtest.failed");
  CHECK_THAT(end.back()["data"]["error"].get<std::string>(), Catch::Contains("nope"));
}

TEST_CASE("serve: unknown sessions and routes are 404s and wrong methods 405s", "[serve]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir), (dir / "server.log").string());
  const unsigned short port = server.port();
  CHECK(http_get(port, "/api/backtest/sessions/s999999").status == 404);
  CHECK(http_get(port, "/api/backtest/sessions/nope").status == 404);
  CHECK(http_get(port, "/api/backtest/sessions/s999999/trades").status == 404);
  CHECK(http_post(port, "/api/backtest/sessions/s999999/stop", "").status == 404);
  CHECK(http_get(port, "/api/nothing").status == 404);
  CHECK(http_get(port, "/nothing.html").status == 404);
  CHECK(http_get(port, "/api/backtest/start").status == 405);
  CHECK(http_post(port, "/api/backtest/sessions", "{}").status == 405);
  const HttpReply missing = http_get(port, "/api/backtest/sessions/s000001");
  CHECK(missing.json()["error"] == "no session 's000001'");
}

TEST_CASE("serve: the strategies and data sources the form offers", "[serve]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir), (dir / "server.log").string());
  const json strategies = http_get(server.port(), "/api/strategies").json();
  json sma;
  for (const auto& s : strategies)
    if (s["name"] == "sma_crossover") sma = s;
  REQUIRE(sma.is_object());
  CHECK(sma["kind"] == "strategy");
  CHECK(!sma.contains("file"));  // the server's paths are its own
  std::set<std::string> params;
  for (const auto& p : sma["params"]) params.insert(p["name"].get<std::string>());
  CHECK(params.count("fast") == 1);
  CHECK(params.count("slow") == 1);
  bool local = false;
  for (const auto& s : strategies) local = local || s["name"] == "fails_on_bar";
  CHECK(local);  // from --script-path

  const json sources = http_get(server.port(), "/api/data/sources").json();
  REQUIRE(sources.size() == 2);
  CHECK(sources[0]["name"] == "sample");
  CHECK(sources[0]["symbols"] == json::array({"NVDA", "ORCL", "YHOO"}));
}

namespace {

// The names of a listed script's params; empty when the list does not have it.
std::set<std::string> params_of(unsigned short port, const std::string& name) {
  std::set<std::string> out;
  for (const auto& s : http_get(port, "/api/strategies").json())
    if (s["name"] == name)
      for (const auto& p : s["params"]) out.insert(p["name"].get<std::string>());
  return out;
}

void write_script(const std::filesystem::path& file, const std::string& name, const std::string& extra_param) {
  std::string text = file_text(std::string(QTRADER_SOURCE_DIR) + "/strategies/sma_crossover.lua");
  text = std::regex_replace(text, std::regex("name = \"sma_crossover\""), "name = \"" + name + "\"");
  if (!extra_param.empty())
    text = std::regex_replace(text, std::regex("  params = \\{\n"), "  params = {\n    " + extra_param + ",\n");
  std::ofstream(file) << text;
}

}  // namespace

TEST_CASE("serve: a script edited while the server runs is offered as it now is", "[serve]") {
  TempDir dir("serve");
  const std::filesystem::path mine = dir / "mine";
  std::filesystem::create_directories(mine);
  write_script(mine / "my_sma.lua", "my_sma", "");
  ServeProcess server(serve_args(dir, {"--script-path", mine.string()}), (dir / "server.log").string());
  const unsigned short port = server.port();
  CHECK(params_of(port, "my_sma") == std::set<std::string>{"fast", "slow"});
  write_script(mine / "my_sma.lua", "my_sma",
               "band = { default = 0.5, type = \"number\", min = 0, description = \"a band\" }");
  CHECK(params_of(port, "my_sma") == std::set<std::string>{"band", "fast", "slow"});
  write_script(mine / "my_other.lua", "my_other", "");
  CHECK(params_of(port, "my_other") == std::set<std::string>{"fast", "slow"});
  std::filesystem::remove(mine / "my_sma.lua");
  CHECK(params_of(port, "my_sma").empty());
  CHECK(params_of(port, "sma_crossover") == std::set<std::string>{"fast", "slow"});  // the built-ins stay
}
