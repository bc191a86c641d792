// `qtrader live` trading through the FIX venue (feed and broker kind fix):
// sma_crossover on ORCL makes the orders `qtrader run` makes on the same bars,
// and each reaches the venue once.
#include <filesystem>

#include <catch2/catch.hpp>

#include "csv_table.hpp"
#include "fix_live_support.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;

TEST_CASE("sma_crossover through qtrader live and the FIX venue sends the orders qtrader run makes", "[fix]") {
  TempDir dir("fix-live");
  const std::string data = fix_fixture("live/ORCL.csv");
  VenueProcess venue((dir / "venue").string(), {"--data", "ORCL=" + data, "--interval-ms", "25"});
  write_fix_session_files(dir.path(), venue.port());
  const std::string common = (dir / "orcl.yaml").string() + " --system " + (dir / "system.yaml").string();
  REQUIRE(run_shell(std::string(QTRADER_BINARY) + " run " + common + " --output " + (dir / "run").string() + " -q")
              .status == 0);
  const auto live = run_shell_captured(std::string(QTRADER_BINARY) + " live " + common + " --output " +
                                       (dir / "live").string() + " -q");
  INFO(live.err);
  REQUIRE(live.status == 0);

  // The backtest's fills, in order: one per order (market orders, all filled).
  const CsvTable fills = read_csv((only_folder_in(dir / "run") / "fills.csv").string());
  const auto orders = csv_rows(venue.store() + "/orders.csv");
  REQUIRE(fills.rows.size() >= 4);
  REQUIRE(orders.size() == fills.rows.size());
  const std::string key = only_folder_in(dir / "live").filename().string();
  for (std::size_t i = 0; i < orders.size(); ++i) {
    INFO("order " << i);
    CHECK(orders[i][0] == key + "-" + fills.at(i, "order_id"));
    CHECK(orders[i][1] == "ORCL");
    CHECK(orders[i][2] == (fills.at(i, "side") == "buy" ? "1" : "2"));
    CHECK(std::stod(orders[i][3]) == fills.num(i, "quantity"));
    CHECK(orders[i][4] == "1");  // market
  }
}
