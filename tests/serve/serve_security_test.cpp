// The server's security rules (docs/serve.md "Security"): loopback unless a
// token is given, the token on every request and on the WebSocket
// handshake, no request path out of the results folder, size limits.
#include <catch2/catch.hpp>

#include <signal.h>

#include "serve_fixture.hpp"
#include "shell_command.hpp"

using namespace qtrader::test;
using nlohmann::json;
using namespace std::chrono_literals;

TEST_CASE("serve: another host than loopback needs a token", "[serve][security]") {
  TempDir dir("serve");
  const auto r = run_shell(std::string(QTRADER_BINARY) + " serve --host 0.0.0.0 --port 0 --results " +
                           (dir / "results").string() + " 2>&1");
  CHECK(r.status == 2);
  CHECK(r.out == "error: --host 0.0.0.0: serving beyond this machine needs --token or --token-file\n");
}

TEST_CASE("serve: the token is checked on every request and on the WebSocket handshake", "[serve][security]") {
  TempDir dir("serve");
  {
    std::ofstream token(dir / "token");
    token << "s3cret-token\n";
  }
  ServeProcess server(serve_args(dir, {"--host", "0.0.0.0", "--token-file", (dir / "token").string()}),
                      (dir / "server.log").string());
  const unsigned short port = server.port();
  CHECK(http_get(port, "/api/backtest/sessions").status == 401);
  CHECK(http_get(port, "/").status == 401);
  CHECK(http_get(port, "/api/backtest/sessions", {{"Authorization", "Bearer wrong"}}).status == 401);
  CHECK(http_get(port, "/api/backtest/sessions", {{"Authorization", "Bearer s3cret-token-"}}).status == 401);
  CHECK(http_get(port, "/api/backtest/sessions?token=s3cret").status == 401);
  CHECK(http_post(port, "/api/backtest/start", "{}").status == 401);
  CHECK(http_get(port, "/api/backtest/sessions", {{"Authorization", "Bearer s3cret-token"}}).status == 200);
  CHECK(http_get(port, "/api/backtest/sessions?token=s3cret-token").status == 200);
  // The page opened with ?token= hands it to the browser as a cookie for its own requests.
  const HttpReply page = http_get(port, "/?token=s3cret-token");
  CHECK(page.status == 200);
  CHECK(page.set_cookie == "qtrader_token=s3cret-token; Path=/; HttpOnly; SameSite=Strict");
  CHECK(http_get(port, "/app.js", {{"Cookie", "qtrader_token=s3cret-token"}}).status == 200);
  CHECK(http_get(port, "/app.js", {{"Cookie", "other=1; qtrader_token=s3cret-token"}}).status == 200);
  CHECK(http_get(port, "/app.js", {{"Cookie", "qtrader_token=wrong"}}).status == 401);
  CHECK(http_get(port, "/app.js", {{"Cookie", "xqtrader_token=s3cret-token"}}).status == 401);
  CHECK(http_get(port, "/app.js").set_cookie.empty());
  CHECK_THROWS(WsTestClient(port, "/ws"));
  CHECK_THROWS(WsTestClient(port, "/ws?token=wrong"));
  WsTestClient ws(port, "/ws?token=s3cret-token");
  const std::string id = [&] {
    const json body{{"backtest", file_text(fixture("serve/orcl_sma.yaml"))}};
    const auto r = http_post(port, "/api/backtest/start", body.dump(), "application/json",
                             {{"Authorization", "Bearer s3cret-token"}});
    REQUIRE(r.status == 200);
    return r.json()["session_id"].get<std::string>();
  }();
  CHECK(ws.until("backtest.completed", id, 20s).back()["type"] == "backtest.completed");
}

TEST_CASE("serve: no request path reaches outside the results folder", "[serve][security]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir), (dir / "server.log").string());
  const unsigned short port = server.port();
  WsTestClient ws(port);
  const std::string id = start_session(port, fixture("serve/orcl_sma.yaml"));
  REQUIRE(ws.until("backtest.completed", id, 20s).back()["type"] == "backtest.completed");
  {
    std::ofstream secret(dir / "secret.html");
    secret << "SECRET";
  }
  for (const std::string target :
       {"/api/backtest/sessions/../../../secret.html", "/api/backtest/sessions/..%2F..%2Fsecret.html",
        "/api/backtest/sessions/%2e%2e/%2e%2e/secret.html", "/api/backtest/sessions/s000001/..%2F..%2F..%2Fsessions.sqlite",
        "/api/backtest/sessions/s000001/%2Fetc%2Fpasswd", "/api/backtest/sessions/%2Fetc%2Fpasswd/trades",
        "/..%2F..%2Fsecret.html", "/../../secret.html", "//etc/passwd", "/api/backtest/sessions/s000001/report%00.csv",
        "/api/backtest/sessions/s000001%2F..%2F..%2F..%2Fsecret.html/report"}) {
    INFO(target);
    const HttpReply r = http_get(port, target);
    CHECK((r.status == 404 || r.status == 400));
    CHECK(r.body.find("SECRET") == std::string::npos);
    CHECK(r.body.find("root:") == std::string::npos);
  }
  // A link planted in the session's folder is not followed.
  const auto report = dir / "results/sessions/s000001/run/report.html";
  std::filesystem::remove(report);
  std::filesystem::create_symlink(dir / "secret.html", report);
  const HttpReply linked = http_get(port, "/api/backtest/sessions/s000001/report");
  CHECK(linked.status == 404);
  CHECK(linked.body.find("SECRET") == std::string::npos);
  // Nor a linked run folder.
  const auto run = dir / "results/sessions/s000001/run";
  std::filesystem::rename(run, dir / "moved-run");
  std::filesystem::create_symlink(dir / "moved-run", run);
  CHECK(http_get(port, "/api/backtest/sessions/s000001/trades").status == 404);
}

TEST_CASE("serve: request bodies and WebSocket messages have size limits", "[serve][security]") {
  TempDir dir("serve");
  ServeProcess server(serve_args(dir, {"--max-body", "2048"}), (dir / "server.log").string());
  const unsigned short port = server.port();
  const HttpReply big = http_post(port, "/api/backtest/start", std::string(4096, ' '), "application/yaml");
  CHECK(big.status == 413);
  CHECK(big.json()["error"] == "request body over 2048 bytes");
  CHECK(http_get(port, "/api/backtest/sessions").status == 200);

  WsTestClient ws(port);
  ws.send(std::string(100, 'x'));
  CHECK(!ws.next(200ms));
  CHECK(!ws.closed());
  ws.send(std::string(8192, 'x'));
  CHECK(!ws.next(2000ms));
  CHECK(ws.closed());
  // The server goes on.
  CHECK(http_get(port, "/api/backtest/sessions").status == 200);
}
