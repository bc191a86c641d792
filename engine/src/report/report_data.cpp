#include "report/report_data.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <tuple>

#include <SQLiteCpp/SQLiteCpp.h>

#include "metrics/calculations.hpp"
#include "metrics/metrics_json.hpp"
#include "metrics/run_files.hpp"
#include "qtrader/time.hpp"
#include "report/compact_json.hpp"
#include "report/histogram.hpp"
#include "report/price_bars.hpp"
#include "report/trade_table.hpp"
#include "store/run_database.hpp"

namespace qtrader::report {

namespace {

using ojson = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr Timestamp kNsPerSecond = 1'000'000'000;
constexpr int kPriceDigits = 7;

// Charts take UTC seconds.
std::int64_t seconds(Timestamp ts) { return ts / kNsPerSecond; }

// Day-end equity and drawdown; with a benchmark, its growth from the same
// initial equity (the overlay); the rolling 12-month Sharpe ratio.
ojson equity_series(const metrics::RunFiles& run, const Metrics& metrics) {
  const auto days = metrics::day_end_equity(run.equity, run.day_zone);
  const auto dd = metrics::drawdown_series(run.initial_equity, days);
  const bool same_days = metrics.daily.size() == days.size();
  const bool benchmark = metrics.benchmark.present && same_days;
  ojson time = ojson::array(), equity = ojson::array(), drawdown = ojson::array(),
        bench = ojson::array(), sharpe = ojson::array(), exposure = ojson::array();
  double growth = run.initial_equity;
  for (std::size_t i = 0; i < days.size(); ++i) {
    time.push_back(seconds(days[i].day));
    equity.push_back(compact_number(days[i].equity));
    drawdown.push_back(compact_number(dd[i], 6));
    if (!same_days) continue;
    const double b = metrics.daily[i].benchmark_return;
    if (std::isfinite(b)) growth *= 1.0 + b;
    bench.push_back(std::isfinite(b) ? compact_number(growth) : ojson(nullptr));
    sharpe.push_back(compact_number(metrics.daily[i].rolling_sharpe_252, 6));
    exposure.push_back(compact_number(metrics.daily[i].net_exposure, 6));
  }
  ojson out = ojson::object();
  out["time"] = std::move(time);
  out["equity"] = std::move(equity);
  out["drawdown"] = std::move(drawdown);
  if (benchmark) out["benchmark"] = std::move(bench);
  if (same_days) out["rolling_sharpe"] = std::move(sharpe);
  if (same_days) out["exposure"] = std::move(exposure);
  return out;
}

// Histograms of the daily returns and of every closed trade's net P&L.
ojson distributions(const metrics::RunFiles& run, const Metrics& metrics) {
  std::vector<double> returns, pnl;
  returns.reserve(metrics.daily.size());
  for (const auto& d : metrics.daily) returns.push_back(d.daily_return);
  pnl.reserve(run.trades.size());
  for (const auto& t : run.trades) pnl.push_back(t.net_pnl);
  return ojson{{"daily_returns", histogram(std::move(returns))}, {"trade_pnl", histogram(std::move(pnl))}};
}

// Fills per symbol, to choose the symbols that get a chart.
std::map<std::string, std::size_t> fills_per_symbol(const metrics::RunFiles& run) {
  std::map<std::string, std::size_t> count;
  const std::string* last = nullptr;
  std::size_t* n = nullptr;
  for (const auto& f : run.fills) {
    if (!last || *last != f.symbol) {
      auto it = count.try_emplace(f.symbol, 0).first;
      last = &it->first;
      n = &it->second;
    }
    ++*n;
  }
  return count;
}

// One marker per fill of the `charted` symbols, [time, buy (1/0), exit (1/0),
// quantity, fills]: an exit when it reduces or closes the symbol's net
// position, else an entry.
std::map<std::string, ojson> fill_markers(const metrics::RunFiles& run,
                                          const std::vector<std::string>& charted) {
  std::map<std::string, ojson> markers;
  std::map<std::string, double> position;
  for (const auto& s : charted) {
    markers[s] = ojson::array();
    position[s] = 0.0;
  }
  for (const auto& f : run.fills) {
    auto at = position.find(f.symbol);
    if (at == position.end()) continue;
    double& q = at->second;
    const double signed_qty = f.is_buy ? f.quantity : -f.quantity;
    const bool exit = q != 0.0 && (q > 0.0) != (signed_qty > 0.0);
    q += signed_qty;
    markers[f.symbol].push_back(
        {seconds(f.ts), f.is_buy ? 1 : 0, exit ? 1 : 0, compact_number(f.quantity), 1});
  }
  return markers;
}

// A marker must sit on a bar of its series: move it to the bucket that holds it.
void snap_markers(ojson& markers, const std::vector<PriceBar>& bars) {
  for (auto& m : markers) {
    const Timestamp ts = m[0].get<std::int64_t>() * kNsPerSecond;
    auto it = std::upper_bound(bars.begin(), bars.end(), ts,
                               [](Timestamp t, const PriceBar& b) { return t < b.ts; });
    if (it != bars.begin()) --it;
    m[0] = seconds(it->ts);
  }
}

// Thousands of markers on one chart are an unreadable band: merge the fills of
// one kind (buy/sell x entry/exit) within spans of bars, widening the span
// until at most `max_markers` remain. A merged marker sits on the span's first
// fill, with the summed quantity and the number of fills.
void thin_markers(ojson& markers, const std::vector<PriceBar>& bars, std::size_t max_markers) {
  if (max_markers == 0 || markers.size() <= max_markers || bars.empty()) return;
  std::vector<std::size_t> bar_of;  // each marker's bar index (markers are snapped)
  bar_of.reserve(markers.size());
  for (const auto& m : markers) {
    const Timestamp ts = m[0].get<std::int64_t>() * kNsPerSecond;
    auto it = std::lower_bound(bars.begin(), bars.end(), ts,
                               [](const PriceBar& b, Timestamp t) { return b.ts < t; });
    bar_of.push_back(static_cast<std::size_t>(it - bars.begin()));
  }
  for (std::size_t span = 2;; span *= 2) {
    std::map<std::tuple<std::size_t, int, int>, std::size_t> at;  // (span, buy, exit) -> out index
    ojson out = ojson::array();
    for (std::size_t i = 0; i < markers.size(); ++i) {
      const auto& m = markers[i];
      const auto key = std::make_tuple(bar_of[i] / span, m[1].get<int>(), m[2].get<int>());
      auto [it, added] = at.emplace(key, out.size());
      if (added) {
        out.push_back(m);
        continue;
      }
      auto& merged = out[it->second];
      merged[3] = compact_number(merged[3].get<double>() + m[3].get<double>());
      merged[4] = merged[4].get<int>() + m[4].get<int>();
    }
    if (out.size() <= max_markers || span >= bars.size()) {
      markers = std::move(out);
      return;
    }
  }
}

ojson price_charts(const std::string& dir, const metrics::RunFiles& run,
                   const ReportOptions& options, std::vector<std::string>& notices) {
  // A large universe gets charts for its most traded symbols only: a chart
  // per symbol of a thousand would make the page unusable and slow to write.
  std::vector<std::pair<std::size_t, std::string>> traded;
  for (const auto& [symbol, n] : fills_per_symbol(run)) traded.emplace_back(n, symbol);
  std::sort(traded.begin(), traded.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::string> only;
  for (const auto& t : traded)
    if (only.size() < options.max_price_charts) only.push_back(t.second);
  auto markers = fill_markers(run, only);
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
    // Daily bars (on midnight UTC) as day offsets from the first bar, others
    // in seconds from it: [offset, open, high, low, close], read by report.js.
    const std::int64_t origin = seconds(s.bars.front().ts);
    std::int64_t unit = 86'400;
    for (const auto& b : s.bars)
      if (b.ts % (86'400 * kNsPerSecond) != 0) unit = 1;
    ojson bars = ojson::array();
    bars.get_ref<ojson::array_t&>().reserve(s.bars.size());
    // Candles at 7 significant digits: a cent up to 99 999.99, finer than
    // a chart's pixel; 12 symbols of ten years of bars were half the page.
    for (const auto& b : s.bars)
      bars.push_back({(seconds(b.ts) - origin) / unit, compact_number(b.open, kPriceDigits),
                      compact_number(b.high, kPriceDigits), compact_number(b.low, kPriceDigits),
                      compact_number(b.close, kPriceDigits)});
    ojson m = markers.count(symbol) ? std::move(markers[symbol]) : ojson::array();
    snap_markers(m, s.bars);
    const std::size_t fills = m.size();
    thin_markers(m, s.bars, options.max_markers_per_chart);
    ojson chart = ojson::object();
    chart["symbol"] = symbol;
    chart["source_bars"] = s.source_bars;
    chart["time_origin"] = origin;
    chart["time_unit"] = unit;
    chart["bars"] = std::move(bars);
    chart["fills"] = fills;
    chart["markers"] = std::move(m);
    out.push_back(std::move(chart));
  }
  return out;
}

// Numbers of a metrics subtree at 10 significant digits: a thousand symbols'
// statistics are shown in a table, never computed on.
void compact_numbers(ojson& j) {
  if (j.is_number_float())
    j = compact_number(j.get<double>());
  else if (j.is_structured())
    for (auto& v : j) compact_numbers(v);
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
    SQLite::Database db = store::open_run_database(events_path, SQLite::OPEN_READONLY);
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

ojson gather_report_data(const std::string& dir, const metrics::RunFiles& run, const Metrics& metrics,
                         const ReportOptions& options, std::vector<std::string>& notices) {
  ojson j;
  j["results_dir"] = fs::absolute(dir).lexically_normal().string();
  j["initial_equity"] = compact_number(run.initial_equity, 17);
  j["equity"] = equity_series(run, metrics);
  j["distributions"] = distributions(run, metrics);
  j["symbols"] = price_charts(dir, run, options, notices);
  j["metrics"] = metrics::metrics_tree(metrics);
  compact_numbers(j["metrics"]["by_symbol"]);
  j["trades"] = trade_table(run.trades, options.max_trades);
  if (run.trades.size() > j["trades"]["number"].size())
    notices.push_back(fmt::format(
        "Trades: the {} with the largest net P&L (by size) of {}; trades.csv holds all of them.",
        j["trades"]["number"].size(), run.trades.size()));
  j["summary"] = read_json_file(dir + "/summary.json", notices);
  j["runs"] = runs_table(dir + "/events.sqlite");
  return j;
}

std::string json_for_html(const ojson& j) {
  std::string out = j.dump(-1, ' ', false, ojson::error_handler_t::replace);
  // '<' appears only inside strings (names, paths), rarely: escape in place.
  for (std::size_t at = 0; (at = out.find('<', at)) != std::string::npos; at += 6)
    out.replace(at, 1, "\\u003c");
  return out;
}

}  // namespace qtrader::report
