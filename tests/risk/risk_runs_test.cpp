// The risk service in real runs (tests/fixtures/risk): the risk context's
// value and history, the "no decision" rejection, and volatility_target end to
// end. Expected figures come from tests/fixtures/risk/expected.py, which
// reads data/sample/ORCL.csv without qtrader; its output:
//
//   history_probe.yaml
//     2010-01-06: close 24.459999 24.820000 24.850000 | history 24.850000 24.820000 24.459999 | volume 28669900 24560700 | open 24.770000 | deep NaN
//     2010-01-07: close 24.379999 24.459999 24.820000 | history 24.820000 24.459999 24.379999 | volume 24560700 30469700 | open 24.459999 | deep NaN
//     2010-01-08: close 24.680000 24.379999 24.459999 | history 24.459999 24.379999 24.680000 | volume 30469700 23542400 | open 24.280001 | deep NaN
//   vol_target.yaml
//     signal bar 2010-01-11, annualized vol 0.15206808663525032, weight 0.6576001724797095, value 65760.01724797094, qty 2663
//     fill 2010-01-12 at 24.559999, commission 65.403277337, cash 34531.319385662995
//     last close 2010-01-29 23.059999, final equity 95940.096722663
//     rejections before: 5, reasons 'volatility needs 6 closes of ORCL, have 1..5'
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "qtrader/engine.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

using namespace qtrader;

namespace {

const std::string kFixtures = QTRADER_FIXTURES_DIR;

RunResult run_risk_fixture(const std::string& backtest, const test::TempDir& out) {
  return test::run_backtest(kFixtures + "/golden/system.yaml", kFixtures + "/risk/" + backtest, out.str());
}

struct Rejection {
  std::string time, reason;
  std::uint64_t order_id;
};

std::vector<Rejection> rejections(const RunResult& run) {
  SQLite::Database db(run.results_dir + "/events.sqlite", SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT time, data FROM events WHERE type = 'order_rejected' ORDER BY seq");
  std::vector<Rejection> out;
  while (q.executeStep()) {
    const auto data = nlohmann::json::parse(q.getColumn(1).getString());
    out.push_back({q.getColumn(0).getString().substr(0, 10), data["reason"].get<std::string>(),
                   data["order_id"].get<std::uint64_t>()});
  }
  return out;
}

}  // namespace

TEST_CASE("risk context in a run: value and history see the bars up to now", "[risk][run]") {
  const test::TempDir out("risk-probe");
  const RunResult run = run_risk_fixture("history_probe.yaml", out);
  CHECK(run.summary.signals == 5);  // buy_and_hold tries again after each rejection
  CHECK(run.summary.orders == 0);
  CHECK(run.summary.rejections == 5);
  CHECK(run.summary.final_equity == 100000.0);

  const auto r = rejections(run);
  REQUIRE(r.size() == 5);
  // Fewer than three closes held: the policy answers nothing.
  CHECK(r[0].time == "2010-01-04");
  CHECK(r[0].reason == "no decision from risk policy");
  CHECK(r[0].order_id == 0);
  CHECK(r[1].time == "2010-01-05");
  CHECK(r[1].reason == "no decision from risk policy");
  CHECK(r[2].time == "2010-01-06");
  CHECK(r[2].reason ==
        "close 24.459999 24.820000 24.850000 | history 24.850000 24.820000 24.459999 | "
        "volume 28669900 24560700 | open 24.770000 | deep NaN");
  CHECK(r[3].time == "2010-01-07");
  CHECK(r[3].reason ==
        "close 24.379999 24.459999 24.820000 | history 24.820000 24.459999 24.379999 | "
        "volume 24560700 30469700 | open 24.459999 | deep NaN");
  CHECK(r[4].time == "2010-01-08");
  CHECK(r[4].reason ==
        "close 24.680000 24.379999 24.459999 | history 24.459999 24.379999 24.680000 | "
        "volume 30469700 23542400 | open 24.280001 | deep NaN");
}

TEST_CASE("volatility_target end to end: rejected until lookback + 1 closes, then sized",
          "[risk][run][policies]") {
  const test::TempDir out("risk-vol-target");
  const RunResult run = run_risk_fixture("vol_target.yaml", out);
  const auto r = rejections(run);
  REQUIRE(r.size() == 5);
  const char* days[] = {"2010-01-04", "2010-01-05", "2010-01-06", "2010-01-07", "2010-01-08"};
  for (int k = 0; k < 5; ++k) {
    INFO("bar " << k + 1);
    CHECK(r[k].time == days[k]);
    CHECK(r[k].reason == "volatility needs 6 closes of ORCL, have " + std::to_string(k + 1));
  }
  // 2010-01-11: vol 0.15206808663525032, weight 0.1 / vol, 65760.017 / 24.690001 -> 2663 shares,
  // filled at the 2010-01-12 open.
  CHECK(run.summary.signals == 6);
  CHECK(run.summary.orders == 1);
  CHECK(run.summary.fills == 1);
  CHECK(run.summary.trades == 0);
  REQUIRE(run.summary.open_positions.size() == 1);
  const auto& p = run.summary.open_positions[0];
  CHECK(p.symbol == "ORCL");
  CHECK(p.quantity == 2663);
  CHECK(p.avg_price == 24.559999);
  CHECK(p.last_price == 23.059999);
  CHECK(run.summary.commissions == Approx(65.403277337).epsilon(1e-14));
  CHECK(run.summary.final_cash == Approx(34531.319385662995).epsilon(1e-14));
  CHECK(run.summary.final_equity == Approx(95940.096722663).epsilon(1e-14));
}
