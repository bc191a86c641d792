// Uploaded scripts (`qtrader serve --allow-upload DIR`, docs/serve.md
// "Uploaded scripts"): off unless asked for, described before they are
// stored, never taking a name another script has, run sandboxed by sessions.
#include <catch2/catch.hpp>

#include <atomic>
#include <regex>
#include <thread>

#include "serve_fixture.hpp"

using namespace qtrader::test;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

HttpReply put_script(unsigned short port, const std::string& target, const std::string& text) {
  return http_call(port, bhttp::verb::put, target, text, "text/x-lua");
}

// The built-in SMA crossover under another registry name.
std::string renamed_sma(const std::string& name) {
  return std::regex_replace(file_text(std::string(QTRADER_SOURCE_DIR) + "/strategies/sma_crossover.lua"),
                            std::regex("name = \"sma_crossover\""), "name = \"" + name + "\"");
}

json wait_until_done(unsigned short port, const std::string& id) {
  const auto end = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    json s = session(port, id);
    if (s["status"] == "completed" || s["status"] == "failed") return s;
    REQUIRE(std::chrono::steady_clock::now() < end);
    std::this_thread::sleep_for(50ms);
  }
}

std::string start_with_strategy(unsigned short port, const std::string& strategy) {
  const std::string yaml = std::regex_replace(file_text(fixture("serve/orcl_sma.yaml")),
                                              std::regex("strategy_id: sma_crossover"),
                                              "strategy_id: " + strategy);
  const HttpReply r = http_post(port, "/api/backtest/start", json{{"backtest", yaml}}.dump());
  REQUIRE(r.status == 200);
  return r.json()["session_id"].get<std::string>();
}

}  // namespace

TEST_CASE("serve: script upload is off unless --allow-upload names a folder", "[serve][upload]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir), (dir / "server.log").string());
  const HttpReply r = put_script(server.port(), "/api/scripts/strategy/mine", renamed_sma("mine"));
  CHECK(r.status == 403);
  CHECK(r.json()["error"] == "script upload is off (the server was started without --allow-upload DIR)");
  CHECK(http_call(server.port(), bhttp::verb::delete_, "/api/scripts/strategy/mine").status == 403);
}

TEST_CASE("serve: an uploaded strategy runs in a session with the figures of the built-in it copies", "[serve][upload]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir, {"--allow-upload", (dir / "uploads").string()}), (dir / "server.log").string());
  const unsigned short port = server.port();

  const HttpReply created = put_script(port, "/api/scripts/strategy/my_cross", renamed_sma("my_cross"));
  REQUIRE(created.status == 201);
  const json entry = created.json();
  CHECK(entry["full_name"] == "uploads.my_cross");
  CHECK(entry["kind"] == "strategy");
  CHECK(!entry.contains("file"));
  CHECK(file_text((dir / "uploads" / "my_cross.lua").string()) == renamed_sma("my_cross"));
  // The catalog the form reads has it, by its full name.
  bool listed = false;
  for (const auto& e : http_get(port, "/api/strategies").json()) listed = listed || e["full_name"] == "uploads.my_cross";
  CHECK(listed);
  // Storing it again replaces it: 200.
  CHECK(put_script(port, "/api/scripts/strategy/my_cross", renamed_sma("my_cross")).status == 200);

  const json builtin = wait_until_done(port, start_with_strategy(port, "sma_crossover"));
  const json uploaded = wait_until_done(port, start_with_strategy(port, "uploads.my_cross"));
  REQUIRE(builtin["status"] == "completed");
  REQUIRE(uploaded["status"] == "completed");
  CHECK(uploaded["final_pnl"] == builtin["final_pnl"]);
  CHECK(uploaded["total_trades"] == builtin["total_trades"]);
  CHECK(uploaded["total_trades"].get<int>() > 0);

  // Deleted, it is gone from the catalog and from the folder.
  CHECK(http_call(port, bhttp::verb::delete_, "/api/scripts/strategy/my_cross").status == 204);
  CHECK(!std::filesystem::exists(dir / "uploads" / "my_cross.lua"));
  for (const auto& e : http_get(port, "/api/strategies").json()) CHECK(e["full_name"] != "uploads.my_cross");
  CHECK(http_call(port, bhttp::verb::delete_, "/api/scripts/strategy/my_cross").status == 404);
}

TEST_CASE("serve: an upload is refused when it does not load or takes a name another script has", "[serve][upload]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir, {"--allow-upload", (dir / "uploads").string()}), (dir / "server.log").string());
  const unsigned short port = server.port();

  // A syntax error: 400 naming the upload's own file and line, never the server's paths.
  HttpReply r = put_script(port, "/api/scripts/strategy/broken", "local S = { name = 'broken' }\nfunction S.on_bar(\nreturn S\n");
  REQUIRE(r.status == 400);
  CHECK(r.json()["field"] == "script");
  const std::string error = r.json()["error"];
  CHECK_THAT(error, Catch::StartsWith("broken.lua:3:"));
  CHECK(error.find(dir.str()) == std::string::npos);
  CHECK(!std::filesystem::exists(dir / "uploads" / "broken.lua"));

  // Endless at load: stopped by the sandbox's budget, then refused — and
  // the server answers everyone else while that upload is being described.
  std::atomic<bool> spun{false};
  HttpReply spin;
  std::thread spinner([&] {
    spin = put_script(port, "/api/scripts/strategy/spins", "while true do end\n");
    spun = true;
  });
  std::this_thread::sleep_for(200ms);
  CHECK(http_get(port, "/api/backtest/sessions").status == 200);
  CHECK(http_get(port, "/api/strategies").status == 200);
  CHECK(!spun);
  spinner.join();
  CHECK(spin.status == 400);
  CHECK(spin.json()["error"] == "spins.lua:1: time budget of 5 s exceeded");

  // The built-in's name, or that of a --script-path script: every session's
  // short name would turn ambiguous, so it is refused.
  r = put_script(port, "/api/scripts/strategy/copy", renamed_sma("sma_crossover"));
  REQUIRE(r.status == 409);
  CHECK(r.json()["error"] == "the strategy name 'sma_crossover' is taken by qtrader.sma_crossover: give the script another name");
  CHECK(put_script(port, "/api/scripts/strategy/fails", renamed_sma("fails_on_bar")).status == 409);
  // A risk policy may share a strategy's name: names are per kind.
  const std::string risk = std::regex_replace(
      file_text(std::string(QTRADER_SOURCE_DIR) + "/strategies/risk/fixed_quantity.lua"),
      std::regex("name = \"fixed_quantity\""), "name = \"sma_crossover\"");
  CHECK(put_script(port, "/api/scripts/risk_policy/sma_crossover", risk).status == 201);
  CHECK(std::filesystem::exists(dir / "uploads" / "risk" / "sma_crossover.lua"));

  // Names that are not plain names, kinds that are not kinds, empty bodies.
  CHECK(put_script(port, "/api/scripts/strategy/Bad-Name", renamed_sma("x")).status == 400);
  CHECK(put_script(port, "/api/scripts/strategy/..%2F..%2Fescape", renamed_sma("x")).status == 404);
  CHECK(put_script(port, "/api/scripts/module/x", renamed_sma("x")).status == 404);
  CHECK(put_script(port, "/api/scripts/strategy/empty", "").status == 400);
  CHECK(http_post(port, "/api/scripts/strategy/x", "{}").status == 405);
  // Nothing but the manifest and the one risk policy was written.
  std::vector<std::string> files;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir / "uploads"))
    if (f.is_regular_file()) files.push_back(std::filesystem::relative(f.path(), dir / "uploads").string());
  std::sort(files.begin(), files.end());
  CHECK(files == std::vector<std::string>{"qtrader-lib.yaml", "risk/sma_crossover.lua"});
}
