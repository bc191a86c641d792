#include "portfolio/portfolio.hpp"

#include <cmath>

namespace qtrader {

Portfolio::Portfolio(EventBus& bus, double initial_cash, std::size_t symbol_count)
    : bus_(bus), cash_(initial_cash), positions_(symbol_count) {
  bus_.subscribe<FillEvent>([this](const FillEvent& e) { on_fill(e); });
  bus_.subscribe<BarEvent>([this](const BarEvent& e) { on_bar(e); });
  bus_.subscribe<ValuationTriggerEvent>([this](const ValuationTriggerEvent& e) { on_valuation(e); });
}

double Portfolio::equity() const {
  // Value = cash + sum(position * last close), as backtrader's broker computes it.
  double value = cash_;
  for (const auto& p : positions_)
    if (p.quantity != 0.0) value += p.quantity * p.last_price;
  return value;
}

double Portfolio::unrealized_pnl() const {
  double u = 0.0;
  for (const auto& p : positions_)
    for (const auto& lot : p.lots) {
      const double sign = p.quantity > 0 ? 1.0 : -1.0;
      u += sign * lot.quantity * (p.last_price - lot.price);
    }
  return u;
}

std::vector<PositionSnapshot> Portfolio::open_positions() const {
  std::vector<PositionSnapshot> out;
  for (SymbolId s = 0; s < positions_.size(); ++s) {
    const auto& p = positions_[s];
    if (p.quantity == 0.0) continue;
    double cost = 0.0, qty = 0.0;
    for (const auto& lot : p.lots) {
      cost += lot.quantity * lot.price;
      qty += lot.quantity;
    }
    out.push_back({s, p.quantity, qty > 0 ? cost / qty : kNaN, p.last_price});
  }
  return out;
}

void Portfolio::on_bar(const BarEvent& e) { positions_[e.bar.symbol].last_price = e.bar.close; }

void Portfolio::on_fill(const FillEvent& f) {
  auto& pos = positions_[f.symbol];
  const double signed_qty = f.side == Side::Buy ? f.quantity : -f.quantity;
  // A buy takes size * price + commission from cash; a sell returns size * price - commission.
  if (f.side == Side::Buy)
    cash_ -= f.quantity * f.price + f.commission;
  else
    cash_ += f.quantity * f.price - f.commission;
  commissions_ += f.commission;

  const double commission_per_unit = f.commission / f.quantity;
  double to_open = f.quantity;
  const bool reduces = (pos.quantity > 0 && f.side == Side::Sell) || (pos.quantity < 0 && f.side == Side::Buy);
  if (reduces) to_open = close_lots(pos, f, f.quantity, commission_per_unit);
  if (to_open > 0) {
    // Whole fill opens: the lot keeps the fill's commission exactly, so that a
    // round trip's commission is entry + exit as charged (no re-multiplication).
    const double lot_commission = to_open == f.quantity ? f.commission : commission_per_unit * to_open;
    pos.lots.push_back({f.strategy, f.ts, to_open, f.price, lot_commission});
  }
  pos.quantity += signed_qty;
  if (std::fabs(pos.quantity) < 1e-12) pos.quantity = 0.0;
}

double Portfolio::close_lots(Position& pos, const FillEvent& f, double quantity,
                             double commission_per_unit) {
  const bool long_trip = pos.quantity > 0;
  while (quantity > 0 && !pos.lots.empty()) {
    Lot& lot = pos.lots.front();
    const double q = std::min(quantity, lot.quantity);
    const bool whole_lot = q == lot.quantity;
    const bool whole_fill = q == f.quantity;
    const double entry_commission = whole_lot ? lot.commission : lot.commission * (q / lot.quantity);
    const double exit_commission = whole_fill ? f.commission : commission_per_unit * q;
    const double gross = long_trip ? q * (f.price - lot.price) : q * (lot.price - f.price);
    const double commission = entry_commission + exit_commission;
    closed_.push_back({lot.strategy, f.symbol, long_trip ? Side::Buy : Side::Sell, lot.time, lot.price,
                       f.ts, f.price, q, gross, commission, gross - commission});
    realized_pnl_ += gross;
    lot.quantity -= q;
    lot.commission -= entry_commission;
    quantity -= q;
    if (whole_lot) pos.lots.pop_front();
  }
  return quantity;
}

void Portfolio::on_valuation(const ValuationTriggerEvent& e) {
  snapshot_.clear();
  double gross = 0.0, net = 0.0;
  for (SymbolId s = 0; s < positions_.size(); ++s) {
    const auto& p = positions_[s];
    if (p.quantity == 0.0) continue;
    const double exposure = p.quantity * p.last_price;
    gross += std::fabs(exposure);
    net += exposure;
    double cost = 0.0;
    for (const auto& lot : p.lots) cost += lot.quantity * lot.price;
    snapshot_.push_back({s, p.quantity, cost / std::fabs(p.quantity), p.last_price});
  }
  bus_.publish(PortfolioStateEvent{e.ts, cash_, cash_ + net, gross, net, realized_pnl_,
                                   unrealized_pnl(), snapshot_});
}

}  // namespace qtrader
