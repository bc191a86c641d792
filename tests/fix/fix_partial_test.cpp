// `qtrader live` against a venue that fills at most 40 shares of an order per
// bar: each part is one fill in the engine (fills.csv, the portfolio, the
// trades), the orders' filled quantities are the venue's cumulative ones,
// and the session ends with the venue's position.
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include "csv_table.hpp"
#include "fix_live_support.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;
namespace fs = std::filesystem;

TEST_CASE("qtrader live against a venue that fills in parts: each part is a fill and the books are the venue's",
          "[fix][partial]") {
  TempDir dir("fix-partial-live");
  VenueProcess venue((dir / "venue").string(),
                     {"--data", "ORCL=" + fix_fixture("live/ORCL.csv"), "--interval-ms", "25", "--max-fill", "40"});
  write_fix_session_files(dir.path(), venue.port());
  const auto live = run_shell_captured(fix_session_command(dir.path(), "live", "--output " + (dir / "live").string() + " -q"));
  INFO(live.err);
  REQUIRE(live.status == 0);
  const fs::path session = only_folder_in(dir / "live"), state = session / "live_state.sqlite";
  const std::string key = session.filename().string();

  // fills.csv: the venue's fills, part by part, in order.
  const auto venue_fills = csv_rows(venue.store() + "/fills.csv");
  const CsvTable fills = read_csv((session / "fills.csv").string());
  REQUIRE(fills.rows.size() == venue_fills.size());
  std::map<std::string, double> cumulative;
  std::size_t parts = 0, partial_updates = 0;
  double bought = 0, sold = 0;
  for (std::size_t i = 0; i < venue_fills.size(); ++i) {
    INFO("fill " << i);
    const auto& v = venue_fills[i];
    CHECK(key + "-" + fills.at(i, "order_id") == v.at(1));
    CHECK(fills.at(i, "side") == (v.at(3) == "1" ? "buy" : "sell"));
    CHECK(fills.num(i, "quantity") == std::stod(v.at(4)));
    CHECK(fills.num(i, "price") == std::stod(v.at(5)));
    if (v.at(0).find("-fill-") != std::string::npos) ++parts;
    cumulative[v.at(1)] += std::stod(v.at(4));
    if (cumulative[v.at(1)] < 100) ++partial_updates;
    (v.at(3) == "1" ? bought : sold) += std::stod(v.at(4));
  }
  CHECK(parts >= 6);  // orders of 100 filled 40, 40, 20

  // Order tracking: each order's filled quantity is the venue's cumulative one.
  SQLite::Database db(state.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT client_order_id, quantity, filled, status FROM orders");
  std::size_t orders = 0;
  while (q.executeStep()) {
    ++orders;
    const std::string id = q.getColumn(0).getString();
    INFO(id);
    CHECK(q.getColumn(2).getDouble() == cumulative[id]);
    if (cumulative[id] == q.getColumn(1).getDouble()) CHECK(q.getColumn(3).getString() == "filled");
  }
  CHECK(orders == csv_rows(venue.store() + "/orders.csv").size());
  CHECK(sql_count(session / "events.sqlite",
                  "SELECT COUNT(*) FROM events WHERE type = 'order_update' AND "
                  "json_extract(data, '$.status') = 'partially_filled'") == static_cast<std::int64_t>(partial_updates));

  // The portfolio and the trades: long only, so the trades close what was sold.
  const CsvTable trades = read_csv((session / "trades.csv").string());
  double traded = 0;
  for (std::size_t i = 0; i < trades.rows.size(); ++i) traded += trades.num(i, "quantity");
  CHECK(traded == sold);
  std::ifstream in(venue.store() + "/book.json");
  const auto book = nlohmann::json::parse(in);
  const double at_venue = book.at("positions").at("QTRADER").at("ORCL").at("quantity").get<double>();
  CHECK(at_venue == bought - sold);
  CHECK(sql_lines(state, "SELECT printf('%g', quantity) FROM positions WHERE symbol = 'ORCL'") ==
        (at_venue == 0 ? std::string() : fmt::format("{}\n", at_venue)));
}
