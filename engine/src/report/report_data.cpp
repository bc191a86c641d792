#include "report/report_data.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include <SQLiteCpp/SQLiteCpp.h>

#include "metrics/calculations.hpp"
#include "metrics/run_files.hpp"
#include "qtrader/time.hpp"
#include "report/price_bars.hpp"

namespace qtrader::report {

namespace {

using ojson = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr Timestamp kNsPerSecond = 1'000'000'000;

// Charts take UTC seconds.
std::int64_t seconds(Timestamp ts) { return ts / kNsPerSecond; }

ojson number(double v) { return std::isfinite(v) ? ojson(v) : ojson(nullptr); }

ojson equity_series(const metrics::RunFiles& run) {
  const auto days = metrics::day_end_equity(run.equity, run.day_zone);
  const auto dd = metrics::drawdown_series(run.initial_equity, days);
  ojson time = ojson::array(), equity = ojson::array(), drawdown = ojson::array();
  for (std::size_t i = 0; i < days.size(); ++i) {
    time.push_back(seconds(days[i].day));
    equity.push_back(number(days[i].equity));
    drawdown.push_back(number(dd[i]));
  }
  return ojson{{"time", time}, {"equity", equity}, {"drawdown", drawdown}};
}

// One marker per fill: an entry when it opens or adds to the symbol's net
// position, an exit when it reduces or closes it.
std::map<std::string, ojson> fill_markers(const metrics::RunFiles& run) {
  std::map<std::string, ojson> markers;
  std::map<std::string, double> position;
  for (const auto& f : run.fills) {
    double& q = position[f.symbol];
    const double signed_qty = f.is_buy ? f.quantity : -f.quantity;
    const bool exit = q != 0.0 && (q > 0.0) != (signed_qty > 0.0);
    q += signed_qty;
    auto& list = markers[f.symbol];
    if (list.is_null()) list = ojson::array();
    list.push_back({{"time", seconds(f.ts)}, {"side", f.is_buy ? "buy" : "sell"},
                    {"role", exit ? "exit" : "entry"}, {"quantity", f.quantity},
                    {"price", number(f.price)}, {"strategy", f.strategy}});
  }
  return markers;
}

// A marker must sit on a bar of its series: move it to the bucket that holds it.
void snap_markers(ojson& markers, const std::vector<PriceBar>& bars) {
  for (auto& m : markers) {
    const Timestamp ts = m["time"].get<std::int64_t>() * kNsPerSecond;
    auto it = std::upper_bound(bars.begin(), bars.end(), ts,
                               [](Timestamp t, const PriceBar& b) { return t < b.ts; });
    if (it != bars.begin()) --it;
    m["time"] = seconds(it->ts);
  }
}

ojson price_charts(const std::string& dir, const metrics::RunFiles& run,
                   const ReportOptions& options, std::vector<std::string>& notices) {
  auto markers = fill_markers(run);
  // A large universe gets charts for its most traded symbols only: a chart
  // per symbol of a thousand would make the page unusable and slow to write.
  std::vector<std::pair<std::size_t, std::string>> traded;
  for (const auto& [symbol, m] : markers) traded.emplace_back(m.size(), symbol);
  std::sort(traded.begin(), traded.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::string> only;
  for (const auto& t : traded)
    if (only.size() < options.max_price_charts) only.push_back(t.second);
  std::string note;
  auto series = read_price_bars(dir + "/events.sqlite", note, only, options.max_price_charts);
  if (!note.empty()) notices.push_back("Price charts: " + note + ".");
  if (traded.size() > options.max_price_charts)
    notices.push_back(fmt::format("Price charts: the {} most traded of {} traded symbols.",
                                  options.max_price_charts, traded.size()));
  ojson out = ojson::array();
  for (auto& [symbol, s] : series) {
    thin_bars(s, options.max_bars_per_symbol);
    if (s.bars.empty()) continue;
    ojson bars = ojson::array();
    for (const auto& b : s.bars)
      bars.push_back({seconds(b.ts), number(b.open), number(b.high), number(b.low), number(b.close)});
    ojson m = markers.count(symbol) ? markers[symbol] : ojson::array();
    snap_markers(m, s.bars);
    out.push_back({{"symbol", symbol},
                   {"source_bars", s.source_bars},
                   {"bars", bars},
                   {"markers", m}});
  }
  return out;
}

ojson trade_list(const metrics::RunFiles& run) {
  ojson out = ojson::array();
  for (const auto& t : run.trades) {
    const double cost = t.entry_price * t.quantity;
    out.push_back({{"strategy", t.strategy},
                   {"symbol", t.symbol},
                   {"direction", t.is_long ? "long" : "short"},
                   {"entry_time", t.entry_text},
                   {"entry_price", number(t.entry_price)},
                   {"exit_time", t.exit_text},
                   {"exit_price", number(t.exit_price)},
                   {"quantity", number(t.quantity)},
                   {"gross_pnl", number(t.gross_pnl)},
                   {"commission", number(t.commission)},
                   {"net_pnl", number(t.net_pnl)},
                   {"return", number(cost != 0.0 ? t.net_pnl / cost : NAN)},
                   {"holding_days", number(static_cast<double>(t.exit_time - t.entry_time) /
                                           metrics::kNsPerDay)}});
  }
  return out;
}

ojson read_json_file(const std::string& path, std::vector<std::string>& notices) {
  if (!fs::exists(path)) return nullptr;
  std::ifstream in(path);
  ojson j = ojson::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    notices.push_back(fs::path(path).filename().string() + " is not valid JSON.");
    return nullptr;
  }
  return j;
}

// The `runs` table (status, hashes, ...) as rows of column -> value, whatever
// its columns are.
ojson runs_table(const std::string& events_path) {
  ojson rows = ojson::array();
  if (!fs::exists(events_path)) return rows;
  try {
    SQLite::Database db(events_path, SQLite::OPEN_READONLY);
    if (!db.tableExists("runs")) return rows;
    SQLite::Statement q(db, "SELECT * FROM runs");
    while (q.executeStep()) {
      ojson row = ojson::object();
      for (int c = 0; c < q.getColumnCount(); ++c) {
        const auto col = q.getColumn(c);
        if (col.isNull())
          row[q.getColumnName(c)] = nullptr;
        else if (col.isInteger())
          row[q.getColumnName(c)] = col.getInt64();
        else if (col.isFloat())
          row[q.getColumnName(c)] = col.getDouble();
        else
          row[q.getColumnName(c)] = col.getString();
      }
      rows.push_back(row);
    }
  } catch (const std::exception&) {
    // A run table we cannot read is left out; the rest of the report stands.
  }
  return rows;
}

}  // namespace

ojson gather_report_data(const std::string& dir, const Metrics& metrics,
                         const ReportOptions& options, std::vector<std::string>& notices) {
  const auto run = metrics::read_run_files(dir);
  ojson j;
  j["results_dir"] = fs::absolute(dir).lexically_normal().string();
  j["initial_equity"] = number(run.initial_equity);
  j["equity"] = equity_series(run);
  j["symbols"] = price_charts(dir, run, options, notices);
  j["metrics"] = ojson::parse(metrics_to_json(metrics));
  j["trades"] = trade_list(run);
  j["summary"] = read_json_file(dir + "/summary.json", notices);
  j["runs"] = runs_table(dir + "/events.sqlite");
  return j;
}

std::string json_for_html(const ojson& j) {
  const std::string text = j.dump(-1, ' ', false, ojson::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + 64);
  for (char c : text) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

}  // namespace qtrader::report
