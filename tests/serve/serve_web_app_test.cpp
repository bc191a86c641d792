// The web app in a real headless Chromium: fill the new-backtest form, start,
// watch the progress bar move and the equity chart grow over the WebSocket,
// see the session complete and open its report. Screenshots are kept in
// <build>/tests/serve-screenshots/.
#include <catch2/catch.hpp>

#include <algorithm>

#include "devtools_browser.hpp"
#include "headless_chromium.hpp"
#include "serve_fixture.hpp"

using namespace qtrader::test;
using namespace std::chrono_literals;

TEST_CASE("serve: the web app starts a backtest from its form and follows it live", "[serve][browser]") {
  if (!have_chromium()) return;
  TempDir dir("serve");
  ServeProcess server(serve_args(dir), (dir / "server.log").string());
  const auto shots = std::filesystem::path("serve-screenshots");
  std::filesystem::create_directories(shots);
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  {
    DevtoolsBrowser browser(kChromium, dir / "profile");
    browser.open(base + "#/new");
    REQUIRE(browser.wait_for("!!document.querySelector('#strategy option[value=sma_crossover]')", 10s));
    browser.eval(R"(
      const set = (id, value) => { const e = document.getElementById(id); e.value = value;
                                   e.dispatchEvent(new Event('change')); };
      set('strategy', 'sma_crossover');
      set('risk_policy', 'fixed_quantity');
      set('source', 'sample');
      set('symbols', 'ORCL');
      set('start_date', '2010-01-01');
      set('end_date', '2012-12-31');
      set('acceleration_factor', ')" + std::to_string(lasting(3)) + R"(');
      document.querySelector('input[name="param.fast"]') !== null)");
    browser.screenshot(shots / "new-backtest.png");
    browser.eval("document.getElementById('start').click(); true");
    REQUIRE(browser.wait_for("location.hash === '#/session/s000001'", 10s));

    // The bar moves and the chart grows while the session runs.
    std::vector<double> progress;
    std::vector<int> points;
    const auto end = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < end) {
      const auto state = browser.eval(
          "[Number(document.getElementById('progress').value), Number(document.getElementById('equity').dataset.points || 0),"
          " (document.querySelector('#status [data-status]') || {}).textContent || '']");
      if (state[2] == "completed") break;
      if (state[2] == "running") {
        progress.push_back(state[0]);
        points.push_back(state[1]);
        if (progress.size() == 3) browser.screenshot(shots / "session-running.png");
      }
      std::this_thread::sleep_for(300ms);
    }
    INFO("progress seen: " << progress.size());
    REQUIRE(progress.size() >= 3);
    CHECK(std::is_sorted(progress.begin(), progress.end()));
    CHECK(progress.back() > progress.front());
    CHECK(points.back() > points.front());
    REQUIRE(browser.wait_for("(document.querySelector('#status [data-status]') || {}).textContent === 'completed'", 10s));
    // The completed curve is the run's whole equity.csv.
    REQUIRE(browser.wait_for("document.getElementById('equity').dataset.points === '754'", 10s));
    CHECK(browser.eval("document.getElementById('trades').textContent") == "12");
    CHECK(browser.eval("document.getElementById('pnl').textContent") == "679.53");
    CHECK(browser.eval("document.getElementById('report').hidden") == false);
    browser.screenshot(shots / "session-completed.png");

    browser.open(base + "api/backtest/sessions/s000001/report");
    REQUIRE(browser.wait_for("document.readyState === 'complete' && document.body.innerText.includes('sma_crossover')", 10s));
    browser.screenshot(shots / "session-report.png");

    browser.open(base);
    REQUIRE(browser.wait_for("!!document.querySelector('tr[data-session=s000001] [data-status=completed]')", 10s));
    CHECK(browser.eval("document.querySelector('tr[data-session=s000001] progress').value") == 100);

    // Two sessions side by side: the same backtest with other params.
    const nlohmann::json other{{"backtest", file_text(fixture("serve/orcl_sma.yaml"))}, {"params", {{"fast", 5}}}};
    REQUIRE(http_post(server.port(), "/api/backtest/start", other.dump()).status == 200);
    REQUIRE(browser.wait_for("!!document.querySelector('tr[data-session=s000002] [data-status=completed]')", 20s));
    browser.screenshot(shots / "sessions.png");
    browser.eval("for (const id of ['s000001', 's000002']) document.querySelector(`input[value=${id}]`).click(); "
                 "document.getElementById('compare').click(); true");
    const bool compared = browser.wait_for("location.hash === '#/compare/s000002/s000001' && "
                             "document.querySelectorAll('#comparison tbody tr').length > 5", 10s);
    INFO(browser.eval("location.hash + ' | ' + document.getElementById('view').innerText").get<std::string>());
    REQUIRE(compared);
    const auto trades_row = browser.eval(
        "[...document.querySelectorAll('#comparison tbody tr')].find(r => r.cells[0].textContent === 'trades')"
        ".innerText");
    // Newest first, as the list shows them; s000001's 12 trades in the second column.
    CHECK(trades_row.get<std::string>().size() > 9);
    CHECK(trades_row.get<std::string>().substr(trades_row.get<std::string>().size() - 3) == "\t12");
    browser.screenshot(shots / "compare.png");
  }
  CHECK(session(server.port(), "s000001")["final_pnl"] == 679.5252997000061);
}
