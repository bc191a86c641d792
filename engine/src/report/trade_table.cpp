#include "report/trade_table.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

#include "report/compact_json.hpp"

namespace qtrader::report {

namespace {

using ojson = nlohmann::ordered_json;
constexpr Timestamp kNsPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

// Positions of the rows to show, ascending.
std::vector<std::size_t> chosen_rows(const std::vector<metrics::TradeRow>& trades,
                                     std::size_t max_trades) {
  std::vector<std::size_t> rows(trades.size());
  std::iota(rows.begin(), rows.end(), 0);
  if (max_trades == 0 || rows.size() <= max_trades) return rows;
  auto size = [&](std::size_t i) {
    const double v = std::abs(trades[i].net_pnl);
    return std::isfinite(v) ? v : -1.0;
  };
  std::nth_element(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(max_trades), rows.end(),
                   [&](std::size_t a, std::size_t b) {
                     return size(a) != size(b) ? size(a) > size(b) : a < b;
                   });
  rows.resize(max_trades);
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Index of `name` in `names`, added when new.
std::size_t intern(const std::string& name, ojson& names, std::map<std::string, std::size_t>& seen) {
  auto [it, added] = seen.emplace(name, seen.size());
  if (added) names.push_back(name);
  return it->second;
}

}  // namespace

ojson trade_table(const std::vector<metrics::TradeRow>& trades, std::size_t max_trades) {
  const auto rows = chosen_rows(trades, max_trades);
  // Whole days (daily bars) are stored as day counts, anything else in seconds.
  std::int64_t origin = 0, unit = kSecondsPerDay;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& t = trades[rows[k]];
    const std::int64_t entry = t.entry_time / kNsPerSecond, exit = t.exit_time / kNsPerSecond;
    if (k == 0 || entry < origin) origin = entry;
    if (entry % kSecondsPerDay != 0 || exit % kSecondsPerDay != 0 || t.entry_time % kNsPerSecond != 0 ||
        t.exit_time % kNsPerSecond != 0)
      unit = 1;
  }
  if (unit == kSecondsPerDay) origin -= origin % kSecondsPerDay;

  ojson strategies = ojson::array(), symbols = ojson::array();
  std::map<std::string, std::size_t> strategy_ids, symbol_ids;
  ojson number = ojson::array(), strategy = ojson::array(), symbol = ojson::array(),
        is_long = ojson::array(), entry = ojson::array(), held = ojson::array(),
        entry_price = ojson::array(), exit_price = ojson::array(), quantity = ojson::array(),
        commission = ojson::array(), net = ojson::array(), gross = ojson::array();
  for (ojson* column : {&number, &strategy, &symbol, &is_long, &entry, &held, &entry_price, &exit_price,
                        &quantity, &commission, &net, &gross})
    column->get_ref<ojson::array_t&>().reserve(rows.size());
  for (std::size_t i : rows) {
    const auto& t = trades[i];
    const std::int64_t e = t.entry_time / kNsPerSecond, x = t.exit_time / kNsPerSecond;
    number.push_back(i + 1);
    strategy.push_back(intern(t.strategy, strategies, strategy_ids));
    symbol.push_back(intern(t.symbol, symbols, symbol_ids));
    is_long.push_back(t.is_long ? 1 : 0);
    entry.push_back((e - origin) / unit);
    held.push_back((x - e) / unit);
    entry_price.push_back(compact_number(t.entry_price));
    exit_price.push_back(compact_number(t.exit_price));
    quantity.push_back(compact_number(t.quantity));
    commission.push_back(compact_number(t.commission));
    net.push_back(compact_number(t.net_pnl));
    gross.push_back(compact_number(t.gross_pnl));
  }
  // Members moved in: an initializer list would copy every array.
  ojson out = ojson::object();
  out["total"] = trades.size();
  out["strategies"] = std::move(strategies);
  out["symbols"] = std::move(symbols);
  out["time_unit"] = unit;
  out["time_origin"] = origin;
  out["number"] = std::move(number);
  out["strategy"] = std::move(strategy);
  out["symbol"] = std::move(symbol);
  out["long"] = std::move(is_long);
  out["entry"] = std::move(entry);
  out["held"] = std::move(held);
  out["entry_price"] = std::move(entry_price);
  out["exit_price"] = std::move(exit_price);
  out["quantity"] = std::move(quantity);
  out["commission"] = std::move(commission);
  out["net_pnl"] = std::move(net);
  out["gross_pnl"] = std::move(gross);
  return out;
}

}  // namespace qtrader::report
