// A report must stay small on a big run: its inline parts are capped
// (ReportOptions) and written compactly. The run's files are generated here,
// as the results writer lays them out: a universe of symbols traded daily.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qtrader/results.hpp"
#include "qtrader/time.hpp"
#include "report/page_assets.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
namespace fs = std::filesystem;

namespace {

constexpr Timestamp kDay = 86'400'000'000'000;
constexpr Timestamp kStart = 946'857'600'000'000'000;  // 2000-01-03

struct Shape {
  int symbols, days, trades_per_symbol;
};

// equity.csv, fills.csv, trades.csv and summary.json of a run where each
// symbol is bought and sold again `trades_per_symbol` times over `days` days.
void write_run(const fs::path& dir, const Shape& s) {
  const double initial = 1e8;
  std::ofstream eq(dir / "equity.csv"), fills(dir / "fills.csv"), trades(dir / "trades.csv");
  eq << "timestamp,cash,equity\n";
  fills << "timestamp,strategy_id,symbol,order_id,side,quantity,price,commission\n";
  trades << "strategy_id,symbol,entry_time,entry_price,exit_time,exit_price,quantity,gross_pnl,"
            "commission,net_pnl,direction\n";
  double equity = initial;
  for (int d = 0; d < s.days; ++d) {
    equity *= 1.0 + 0.0003 * ((d * 7919) % 13 - 6) / 6.0;
    eq << format_date(kStart + d * kDay) << ',' << equity * 0.4 << ',' << equity << '\n';
  }
  // Fills in time order: trade k of every symbol opens on day 2k and closes on day 2k+1.
  const int gap = s.days / (2 * s.trades_per_symbol);
  long order = 0;
  for (int k = 0; k < s.trades_per_symbol; ++k)
    for (int leg = 0; leg < 2; ++leg)
      for (int y = 0; y < s.symbols; ++y) {
        const std::string day = format_date(kStart + (k * 2 * gap + leg) * kDay);
        const double price = 10.0 + y % 97 + k * 0.013 + leg * 0.37;
        fills << fmt::format("{},s,S{:04},{},{},10,{},{}\n", day, y, ++order, leg ? "sell" : "buy",
                             price, price * 10 * 0.001);
      }
  for (int y = 0; y < s.symbols; ++y)
    for (int k = 0; k < s.trades_per_symbol; ++k) {
      const double in = 10.0 + y % 97 + k * 0.013, out = in + 0.37, commission = (in + out) * 0.01;
      trades << fmt::format("s,S{:04},{},{},{},{},10,{},{},{},long\n", y,
                            format_date(kStart + k * 2 * gap * kDay), in,
                            format_date(kStart + (k * 2 * gap + 1) * kDay), out, (out - in) * 10,
                            commission, (out - in) * 10 - commission);
    }
  std::ofstream(dir / "summary.json") << fmt::format(R"({{"initial_equity": {}}})", initial);
}

nlohmann::json embedded_data(const fs::path& page) {
  std::ifstream in(page);
  std::stringstream s;
  s << in.rdbuf();
  const std::string html = s.str(), open = "id=\"qtrader-data\">";
  const auto begin = html.find(open) + open.size();
  return nlohmann::json::parse(html.substr(begin, html.find("</script>", begin) - begin));
}

}  // namespace

TEST_CASE("a report of many symbols and fills stays under its size cap", "[report]") {
  const test::TempDir tmp("report-size");
  const Shape shape{400, 2520, 40};  // 16 000 trades, 32 000 fills
  write_run(tmp.path(), shape);
  const auto page = tmp.path() / "report.html";
  ReportOptions options;

  // The chart library (compiled in, about 0.2 MB) is not the data's size.
  const auto library = report::kChartLibrary.size();
  options.max_trades = 0;  // every trade inline: the compact columns alone
  write_report(tmp.path().string(), options);
  const auto all_size = fs::file_size(page) - library;
  CHECK(embedded_data(page)["trades"]["number"].size() == 16000u);

  options.max_trades = 2000;
  const auto result = write_report(tmp.path().string(), options);
  const auto capped_size = fs::file_size(page) - library;
  INFO("all trades: " << all_size << " bytes, capped: " << capped_size << " bytes");
  // 2.5 MB of a report's 3 MB budget is data; the library is about 0.2 MB.
  // 16 000 trades as column arrays stay well inside it, 2 000 far inside.
  CHECK(all_size < 2'500'000u);
  CHECK(capped_size < 600'000u);
  CHECK(capped_size < all_size);

  const auto data = embedded_data(page);
  const auto& trades = data["trades"];
  CHECK(trades["total"] == 16000);
  REQUIRE(trades["number"].size() == 2000u);
  // Only the symbols of the kept trades are named.
  CHECK(trades["symbols"].size() <= 400u);
  // The kept rows are those of largest |net P&L|, in the run's order.
  double smallest_kept = 1e300;
  for (const auto& v : trades["net_pnl"]) smallest_kept = std::min(smallest_kept, std::abs(v.get<double>()));
  std::size_t larger = 0;
  std::ifstream csv(tmp.path() / "trades.csv");
  std::string line;
  std::getline(csv, line);
  while (std::getline(csv, line)) {
    const auto last = line.rfind(','), before = line.rfind(',', last - 1);
    if (std::abs(std::stod(line.substr(before + 1, last - before - 1))) > smallest_kept * (1 + 1e-9)) ++larger;
  }
  CHECK(larger <= 2000u);
  for (std::size_t i = 1; i < trades["number"].size(); ++i)
    CHECK(trades["number"][i].get<long>() > trades["number"][i - 1].get<long>());
  // The cap is said on the page, and is a choice rather than a warning.
  bool said = false;
  for (const auto& n : data["notices"]) said |= n.get<std::string>().rfind("Trades: the 2000", 0) == 0;
  CHECK(said);
  for (const auto& w : result.warnings) CHECK(w.find("Trades:") == std::string::npos);
  // A thousand symbols are rows of one table, not columns: all are there.
  CHECK(data["metrics"]["by_symbol"].size() == 400u);
}
