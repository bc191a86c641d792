// Net exposure over time, from equity.csv alone: equity - cash is the net
// market value of the open positions (shorts count negative) — except in a
// run with futures, whose positions hold their open P&L, not their notional,
// in equity: there equity.csv's net_exposure column (quantity x multiplier x
// price) is it.
#include <cmath>

#include "metrics/tearsheet.hpp"

namespace qtrader::metrics {

std::vector<double> net_exposure(const std::vector<EquityRow>& equity, const TimeZone& day_zone) {
  // day_end_equity decides what a day is (one rule for every daily series);
  // fed each row's index as its "equity", it names the last row of each day.
  std::vector<EquityRow> index(equity.size());
  for (std::size_t i = 0; i < equity.size(); ++i)
    index[i] = {equity[i].ts, 0.0, static_cast<double>(i)};
  std::vector<double> out;
  for (const auto& d : day_end_equity(index, day_zone)) {
    const auto& row = equity[static_cast<std::size_t>(d.equity)];
    const double net = std::isnan(row.net_exposure) ? row.equity - row.cash : row.net_exposure;
    out.push_back(row.equity != 0.0 ? net / row.equity : NAN);
  }
  return out;
}

}  // namespace qtrader::metrics
