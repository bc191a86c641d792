// `qtrader live` trading through the FIX venue (feed and broker kind fix):
// sma_crossover on ORCL makes the orders `qtrader run` makes on the same bars,
// and each reaches the venue once.
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "csv_table.hpp"
#include "fix_test_support.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

std::filesystem::path only_folder_in(const std::filesystem::path& out) {
  std::vector<std::filesystem::path> found;
  for (const auto& e : std::filesystem::directory_iterator(out)) found.push_back(e.path());
  REQUIRE(found.size() == 1);
  return found[0];
}

void write(const std::filesystem::path& file, const std::string& text) { std::ofstream(file) << text; }

std::string session(const char* kind, int port, const char* sender, const char* store) {
  return fmt::format("{{kind: {}, port: {}, sender_comp_id: {}, target_comp_id: VENUE, heartbeat: 1, "
                     "reconnect_interval: 1, logon_timeout: 5, store: {}}}",
                     kind, port, sender, store);
}

}  // namespace

TEST_CASE("sma_crossover through qtrader live and the FIX venue sends the orders qtrader run makes", "[fix]") {
  TempDir dir("fix-live");
  const std::string data = fix_fixture("live/ORCL.csv");
  VenueProcess venue((dir / "venue").string(), {"--data", "ORCL=" + data, "--interval-ms", "25"});
  write(dir / "data_sources.yaml", "sources:\n  fix_sample:\n    adapter: csv\n    path: " + fix_fixture("live") +
                                       "\n    layout: yahoo\n    price_mode: raw\n    timezone: UTC\n");
  std::ifstream system_in(std::string(QTRADER_FIXTURES_DIR) + "/live/system.yaml");
  write(dir / "system.yaml", std::string((std::istreambuf_iterator<char>(system_in)), {}));
  write(dir / "orcl.yaml",
        "start_date: 2009-01-02\nend_date: 2009-08-31\ninitial_equity: 100000\n"
        "data:\n  sources:\n    - name: fix_sample\n      universe: [ORCL]\n"
        "strategies:\n  - strategy_id: sma_crossover\n    universe: [ORCL]\n    config: {fast: 10, slow: 30}\n"
        "risk_policy:\n  name: fixed_quantity\n  config: {quantity: 100}\n"
        "live:\n  feed: " + session("fix", venue.port(), "QTRADER-MD", "fix-feed") +
        "\n  broker: " + session("fix", venue.port(), "QTRADER", "fix-broker") + "\n  on_stop: cancel\n");
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
