// Many resting orders (issue #14, "unbounded work"): a bar works only the
// orders its range can reach or whose time is up, still in arrival order, and
// execution.max_working_orders_per_strategy refuses a strategy's orders
// beyond the cap. The speed itself is measured by bench/resting_orders.sh.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <SQLiteCpp/SQLiteCpp.h>

#include "csv_table.hpp"
#include "exec_harness.hpp"
#include "run_backtest.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The table without its id columns: the flood's orders take ids from the
// same counter, so the other strategy's order and signal ids differ.
std::vector<std::vector<std::string>> without_ids(const std::string& path) {
  const CsvTable t = read_csv(path);
  std::vector<std::vector<std::string>> out{t.header};
  for (const auto& row : t.rows) out.push_back(row);
  for (auto& row : out)
    for (std::size_t i = t.header.size(); i-- > 0;)
      if (t.header[i].find("_id") != std::string::npos && t.header[i] != "strategy_id")
        row.erase(row.begin() + static_cast<std::ptrdiff_t>(i));
  return out;
}

std::int64_t count(SQLite::Database& db, const std::string& sql) {
  SQLite::Statement q(db, sql);
  REQUIRE(q.executeStep());
  return q.getColumn(0).getInt64();
}

}  // namespace

TEST_CASE("resting orders: a bar fills the orders its range reaches in arrival order, whatever their prices",
          "[execution][resting]") {
  Harness h;
  // Day 1's close is the reference; orders far from day 2's range (L 9.0, H 11.0) rest.
  h.publish(bar(1, 10, 10, 10, 10));
  const OrderId far_buy = h.submit(1, {.type = OrderType::Limit, .limit = 5.0});
  const OrderId buy_at_low = h.submit(1, {.quantity = 10, .type = OrderType::Limit, .limit = 9.0});
  const OrderId far_sell = h.submit(1, {.side = Side::Sell, .type = OrderType::Limit, .limit = 50.0});
  const OrderId buy_inside = h.submit(1, {.quantity = 20, .type = OrderType::Limit, .limit = 9.5});
  const OrderId stop_at_high = h.submit(1, {.quantity = 30, .type = OrderType::Stop, .stop = 11.0});
  const OrderId far_stop = h.submit(1, {.side = Side::Sell, .type = OrderType::Stop, .stop = 1.0});
  const OrderId far_gtd = h.submit(1, {.type = OrderType::Limit, .limit = 2.0, .tif = TimeInForce::GTD,
                                       .expiry = day(2)});
  const OrderId far_day = h.submit(1, {.type = OrderType::Limit, .limit = 3.0, .tif = TimeInForce::Day});
  CHECK(h.exec.working_orders() == 8);

  h.publish(bar(2, 10, 11, 9, 10.5));
  // The three reached fill inside the bar, in the order they arrived.
  REQUIRE(h.fills.size() == 3);
  CHECK(h.fills[0].order_id == buy_at_low);
  CHECK(h.fills[0].price == 9.0);
  CHECK(h.fills[1].order_id == buy_inside);
  CHECK(h.fills[1].price == 9.5);
  CHECK(h.fills[2].order_id == stop_at_high);
  CHECK(h.fills[2].price == 11.0);
  // A daily bar ends the DAY order's session though its price is far away.
  CHECK(h.last_update(far_day)->status == OrderStatus::Expired);
  CHECK(h.exec.find(far_gtd));
  CHECK(h.exec.working_orders() == 4);

  // The GTD order expires on the first bar after its expiry, far from the market.
  h.publish(bar(3, 10, 10.2, 9.8, 10));
  CHECK(h.last_update(far_gtd)->status == OrderStatus::Expired);
  CHECK(h.fills.size() == 3);
  for (const OrderId id : {far_buy, far_sell, far_stop}) CHECK(h.exec.find(id));
  CHECK(h.exec.working_orders() == 3);

  // When the market comes to them, they fill: at the gap's open.
  h.publish(bar(4, 4, 4.5, 0.5, 1));
  REQUIRE(h.fills.size() == 5);
  CHECK(h.fills[3].order_id == far_buy);
  CHECK(h.fills[3].price == 4.0);
  CHECK(h.fills[4].order_id == far_stop);
  CHECK(h.fills[4].price == 1.0);
  CHECK(h.exec.working_orders() == 1);
}

TEST_CASE("resting orders: a stop-limit that triggered works as a limit on later bars", "[execution][resting]") {
  Harness h;
  h.publish(bar(1, 10, 10, 10, 10));
  // Buy stop-limit: stop 11, limit 11.5. Day 2 opens at 12: triggered at the
  // open, above its limit, so it does not fill; from then on a limit at 11.5.
  const OrderId id = h.submit(1, {.type = OrderType::StopLimit, .limit = 11.5, .stop = 11.0});
  h.publish(bar(2, 12, 12.5, 11.8, 12));
  CHECK(h.fills.empty());
  REQUIRE(h.exec.find(id));
  CHECK(h.exec.find(id)->triggered);
  // Day 3 stays below the stop: as a limit it fills at the open.
  h.publish(bar(3, 10.8, 10.9, 10.5, 10.7));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].price == 10.8);
}

TEST_CASE("resting orders: the working-order cap refuses a strategy's orders beyond it", "[execution][resting]") {
  ExecutionConfig ec = Harness::zero_commission();
  ec.max_working_orders_per_strategy = 3;
  Harness h(100000.0, ec);
  h.publish(bar(1, 10, 10, 10, 10));
  const OrderId a = h.submit(1, {.quantity = 10, .type = OrderType::Limit, .limit = 5.0});
  h.submit(1, {.quantity = 10, .type = OrderType::Limit, .limit = 5.0});
  h.submit(1, {.quantity = 10, .type = OrderType::Limit, .limit = 5.0});
  const OrderId refused = h.submit(1, {.quantity = 10, .type = OrderType::Limit, .limit = 5.0});
  REQUIRE(h.rejections.size() == 1);
  CHECK(h.rejections[0].order_id == refused);
  CHECK(h.rejections[0].reason ==
        "too many working orders: the strategy has 3 (execution.max_working_orders_per_strategy: 3)");
  // Another strategy has a cap of its own.
  h.submit(1, {.quantity = 10, .type = OrderType::Limit, .limit = 5.0, .strategy = 1});
  CHECK(h.rejections.size() == 1);
  CHECK(h.exec.working_orders() == 4);
  // A cancelled order makes room.
  h.bus.publish(CancelRequestEvent{day(1), a, 0});
  h.submit(1, {.quantity = 10, .type = OrderType::Limit, .limit = 5.0});
  CHECK(h.rejections.size() == 1);

  // A bracket's exits are never refused: strategy 1 at its cap fills an entry.
  ec.max_working_orders_per_strategy = 1;
  Harness b(100000.0, ec);
  b.publish(bar(1, 10, 10, 10, 10));
  const OrderId entry = b.submit(1, {.quantity = 10, .stop_loss = 9.0, .take_profit = 12.0});
  b.publish(bar(2, 10, 10.5, 9.5, 10));
  REQUIRE(b.fills.size() == 1);
  CHECK(b.fills[0].order_id == entry);
  CHECK(b.rejections.empty());
  CHECK(b.exec.working_orders() == 2);  // the stop and the take-profit
  b.submit(2, {.quantity = 10, .type = OrderType::Limit, .limit = 5.0});
  REQUIRE(b.rejections.size() == 1);
  CHECK(b.rejections[0].reason ==
        "too many working orders: the strategy has 2 (execution.max_working_orders_per_strategy: 1)");
}

// A strategy that places 2,000 resting orders on each of 8 bars beside an SMA
// crossover: 10,000 accepted (the default cap), 6,000 refused, and the trades,
// fills and equity are byte for byte those of the run without them.
TEST_CASE("resting orders: thousands of far orders a bar neither change the results nor pass the cap",
          "[execution][resting]") {
  const std::string system = std::string(QTRADER_FIXTURES_DIR) + "/golden/system.yaml";
  const std::string backtest = std::string(QTRADER_FIXTURES_DIR) + "/strategies/resting_flood.yaml";
  const TempDir out("resting");
  RunOptions flood = quiet_run_options();
  flood.output_dir = (out / "flood").string();
  RunOptions quiet = quiet_run_options();
  quiet.output_dir = (out / "quiet").string();
  quiet.params = {{"flood.per_bar", "0"}};
  const RunResult with = run_backtest(system, backtest, flood);
  const RunResult without = run_backtest(system, backtest, quiet);

  SQLite::Database db(with.results_dir + "/events.sqlite", SQLite::OPEN_READONLY);
  CHECK(count(db, "SELECT COUNT(*) FROM events WHERE type = 'order' AND strategy_id = 'flood'") == 16000);
  CHECK(count(db, "SELECT COUNT(*) FROM events WHERE type = 'order_update' AND strategy_id = 'flood'"
                  " AND json_extract(data, '$.status') = 'accepted'") == 10000);
  CHECK(count(db, "SELECT COUNT(*) FROM events WHERE type = 'order_rejected' AND strategy_id = 'flood'"
                  " AND json_extract(data, '$.reason') = 'too many working orders: the strategy has 10000"
                  " (execution.max_working_orders_per_strategy: 10000)'") == 6000);
  CHECK(count(db, "SELECT COUNT(*) FROM events WHERE type IN ('fill', 'order_rejected') AND strategy_id = 'flood'"
                  " AND json_extract(data, '$.reason') IS NOT 'too many working orders: the strategy has 10000"
                  " (execution.max_working_orders_per_strategy: 10000)'") == 0);
  // The SMA crossover trades as it does without the flood.
  CHECK(count(db, "SELECT COUNT(*) FROM events WHERE type = 'fill' AND strategy_id = 'sma'") > 0);
  for (const char* file : {"/equity.csv", "/positions.csv"}) {
    INFO(file);
    CHECK(slurp(with.results_dir + file) == slurp(without.results_dir + file));
  }
  for (const char* file : {"/fills.csv", "/trades.csv"}) {
    INFO(file);
    const auto rows = without_ids(with.results_dir + file);
    CHECK(rows.size() > 1);
    CHECK(rows == without_ids(without.results_dir + file));
  }
  CHECK(with.summary.final_equity == without.summary.final_equity);
}
