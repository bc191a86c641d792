// Per-group statistics: closed-trade figures from trades.csv, exposure and
// turnover from fills.csv (a future's notional with its multiplier).
#include <cmath>
#include <limits>
#include <unordered_map>

#include "metrics/calculations.hpp"

namespace qtrader::metrics {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Fill quantities are exact in practice; this only absorbs rounding residue
// of fractional sizes.
constexpr double kFlat = 1e-9;
}  // namespace

namespace {

template <class Trades>
void trade_stats(const Trades& trades, const Group& group, TradeStats& out) {
  double win_sum = 0.0, loss_sum = 0.0, holding_days = 0.0;
  out.trades = out.wins = out.losses = 0;
  out.gross_pnl = out.commission = out.net_pnl = 0.0;
  for (const TradeRow& t : trades) {
    if (!group.has(t.strategy, t.symbol)) continue;
    ++out.trades;
    out.gross_pnl += t.gross_pnl;
    out.commission += t.commission;
    out.net_pnl += t.net_pnl;
    holding_days += static_cast<double>(t.exit_time - t.entry_time) / kNsPerDay;
    if (t.net_pnl > 0.0) {
      ++out.wins;
      win_sum += t.net_pnl;
    } else if (t.net_pnl < 0.0) {
      ++out.losses;
      loss_sum += t.net_pnl;
    }
  }
  const auto n = static_cast<double>(out.trades);
  out.win_rate = out.trades ? static_cast<double>(out.wins) / n : kNaN;
  out.profit_factor = out.losses ? win_sum / -loss_sum : kNaN;
  out.average_win = out.wins ? win_sum / static_cast<double>(out.wins) : kNaN;
  out.average_loss = out.losses ? loss_sum / static_cast<double>(out.losses) : kNaN;
  out.expectancy = out.trades ? out.net_pnl / n : kNaN;
  out.average_holding_days = out.trades ? holding_days / n : kNaN;
}

template <class Fills>
void position_stats(const std::vector<EquityRow>& equity, const Fills& fills, const Group& group,
                    double years, TradeStats& out) {
  // A strategy's exposure follows its own fills; a symbol's and the
  // portfolio's follow the net position per symbol, as the portfolio holds it.
  std::unordered_map<std::string, double> held;
  auto fill = [&](std::size_t i) -> const FillRow& { return fills[i]; };
  std::size_t open_keys = 0, open_rows = 0, next_fill = 0;
  double notional = 0.0, equity_sum = 0.0;
  for (const auto& row : equity) {
    for (; next_fill < fills.size() && fill(next_fill).ts <= row.ts; ++next_fill) {
      const FillRow& f = fill(next_fill);
      if (!group.has(f.strategy, f.symbol)) continue;
      notional += std::abs(f.quantity * f.price * f.multiplier);
      double& q = group.by == Group::By::Strategy ? held[f.strategy + '\x1f' + f.symbol]
                                                  : held.try_emplace(f.symbol).first->second;
      const bool was_open = std::abs(q) > kFlat;
      q += f.is_buy ? f.quantity : -f.quantity;
      const bool is_open = std::abs(q) > kFlat;
      if (is_open && !was_open) ++open_keys;
      if (!is_open && was_open) --open_keys;
    }
    if (open_keys > 0) ++open_rows;
    equity_sum += row.equity;
  }
  // Fills after the last equity row (none in a finished run) still count as turnover.
  for (; next_fill < fills.size(); ++next_fill) {
    const FillRow& f = fill(next_fill);
    if (group.has(f.strategy, f.symbol)) notional += std::abs(f.quantity * f.price * f.multiplier);
  }
  const auto rows = static_cast<double>(equity.size());
  out.exposure = equity.empty() ? 0.0 : static_cast<double>(open_rows) / rows;
  const double mean_equity = equity.empty() ? kNaN : equity_sum / rows;
  out.turnover = notional / mean_equity;
  out.annual_turnover = years > 0.0 ? out.turnover / years : kNaN;
}

}  // namespace

void add_trade_stats(const std::vector<TradeRow>& trades, const Group& group, TradeStats& out) {
  trade_stats(trades, group, out);
}
void add_trade_stats(const std::vector<std::reference_wrapper<const TradeRow>>& trades,
                     const Group& group, TradeStats& out) {
  trade_stats(trades, group, out);
}
void add_position_stats(const std::vector<EquityRow>& equity, const std::vector<FillRow>& fills,
                        const Group& group, double years, TradeStats& out) {
  position_stats(equity, fills, group, years, out);
}
void add_position_stats(const std::vector<EquityRow>& equity,
                        const std::vector<std::reference_wrapper<const FillRow>>& fills,
                        const Group& group, double years, TradeStats& out) {
  position_stats(equity, fills, group, years, out);
}

}  // namespace qtrader::metrics
