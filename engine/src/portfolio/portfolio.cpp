#include "portfolio/portfolio.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "base/quantity.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

const char* to_string(LedgerEntry::Kind k) noexcept {
  switch (k) {
    case LedgerEntry::Kind::Commission: return "commission";
    case LedgerEntry::Kind::BorrowFee: return "borrow_fee";
    case LedgerEntry::Kind::Dividend: return "dividend";
    case LedgerEntry::Kind::Split: return "split";
    case LedgerEntry::Kind::Variation: return "variation";
  }
  return "?";
}

Portfolio::Portfolio(EventBus& bus, double initial_cash, std::size_t symbol_count)
    : Portfolio(bus, initial_cash, symbol_count, PortfolioConfig{}) {}

Portfolio::Portfolio(EventBus& bus, double initial_cash, std::size_t symbol_count,
                     const PortfolioConfig& config, const CorporateActions* actions,
                     TimeZone zone, const FuturesTerms* futures)
    : bus_(bus), config_(config), actions_(actions), cash_(initial_cash),
      positions_(symbol_count), next_action_(symbol_count, 0),
      futures_(futures && futures->any() ? futures : nullptr) {
  zone_ = std::move(zone);
  bus_.subscribe<FillEvent>([this](const FillEvent& e) { on_fill(e); });
  bus_.subscribe<BarEvent>([this](const BarEvent& e) { on_bar(e); });
  bus_.subscribe<ValuationTriggerEvent>([this](const ValuationTriggerEvent& e) { on_valuation(e); });
}

Portfolio::Book& Portfolio::book(StrategyIndex k, SymbolId s) {
  if (k >= books_.size()) {
    books_.resize(k + 1);
    totals_.resize(k + 1);
  }
  auto& row = books_[k];
  if (row.size() < positions_.size()) row.resize(positions_.size());
  return row[s];
}

double Portfolio::position(SymbolId s) const {
  if (futures_ && futures_->is_continuous(s)) {
    double q = 0.0;
    for (const SymbolId c : futures_->contracts[s]) q += positions_[c].quantity;
    return q;
  }
  return positions_[s].quantity;
}

double Portfolio::strategy_position(StrategyIndex k, SymbolId s) const {
  if (futures_ && futures_->is_continuous(s)) {
    double q = 0.0;
    for (const SymbolId c : futures_->contracts[s]) q += strategy_position(k, c);
    return q;
  }
  return k < books_.size() && s < books_[k].size() ? books_[k][s].quantity : 0.0;
}

double Portfolio::average_cost(StrategyIndex k, SymbolId s) const {
  return k < books_.size() && s < books_[k].size() ? books_[k][s].average_cost : kNaN;
}

double Portfolio::equity() const {
  // Value = cash + sum(position * last close), as backtrader's broker computes it.
  double value = cash_;
  if (!futures_) {
    for (const auto& p : positions_)
      if (p.quantity != 0.0) value += p.quantity * p.last_price;
    return value;
  }
  for (SymbolId s = 0; s < positions_.size(); ++s)
    if (positions_[s].quantity != 0.0) value += value_of(s, positions_[s]);
  return value;
}

double Portfolio::unrealized_pnl() const {
  double u = 0.0;
  for (std::size_t k = 0; k < books_.size(); ++k) u += attribution(static_cast<StrategyIndex>(k)).unrealized_pnl;
  return u;
}

StrategyAttribution Portfolio::attribution(StrategyIndex k) const {
  StrategyAttribution a;
  if (k >= books_.size()) return a;
  const Totals& t = totals_[k];
  a.realized_pnl = t.realized;
  a.commissions = t.commissions;
  a.borrow_fees = t.borrow_fees;
  a.dividends = t.dividends;
  a.trades = t.trades;
  for (SymbolId s = 0; s < books_[k].size(); ++s) {
    const Book& b = books_[k][s];
    if (b.quantity == 0.0) continue;
    const double last = positions_[s].last_price;
    const double sign = b.quantity > 0 ? 1.0 : -1.0;
    if (is_future(s)) {
      const double m = multiplier(s);
      for (const auto& lot : b.lots) a.unrealized_pnl += m * (sign * lot.quantity * (last - lot.price));
      a.gross_exposure += std::fabs(m * b.quantity * last);
      a.net_exposure += m * b.quantity * last;
      continue;
    }
    for (const auto& lot : b.lots) a.unrealized_pnl += sign * lot.quantity * (last - lot.price);
    a.gross_exposure += std::fabs(b.quantity * last);
    a.net_exposure += b.quantity * last;
  }
  return a;
}

// Signed cost of the open lots of every book in `s` (and the books' signed
// quantity times their average cost, in `average_cost_sum`).
double Portfolio::lot_cost(SymbolId s, double& average_cost_sum) const {
  double cost = 0.0;
  average_cost_sum = 0.0;
  for (const auto& row : books_) {
    if (s >= row.size() || row[s].quantity == 0.0) continue;
    const Book& b = row[s];
    const double sign = b.quantity > 0 ? 1.0 : -1.0;
    for (const auto& lot : b.lots) cost += sign * lot.quantity * lot.price;
    average_cost_sum += b.quantity * b.average_cost;
  }
  return cost;
}

std::vector<PositionSnapshot> Portfolio::open_positions() const {
  std::vector<PositionSnapshot> out;
  for (SymbolId s = 0; s < positions_.size(); ++s) {
    const auto& p = positions_[s];
    if (p.quantity == 0.0) continue;
    double avg_sum = 0.0;
    const double cost = lot_cost(s, avg_sum);
    out.push_back({s, p.quantity, cost / p.quantity, p.last_price, avg_sum / p.quantity});
  }
  return out;
}

void Portfolio::on_bar(const BarEvent& e) {
  const SymbolId s = e.bar.symbol;
  // Corporate actions take effect before the ex-date's bar trades: the
  // holders at the previous close get the dividend; orders see split prices.
  if (actions_)
    for (const auto& a : due_actions(actions_->of(s), next_action_[s], e.bar.ts))
      apply_action(a, e.bar.ts);
  positions_[s].last_price = e.bar.close;
  // Variation margin is paid at the session's close: the stream's flag, or a
  // daily bar (a whole session; a replay's bars carry no flags).
  if (is_future(s)) {
    Timestamp in_day = zone_.to_local(e.bar.ts) % kNanosPerDay;
    if (in_day < 0) in_day += kNanosPerDay;
    positions_[s].settle = (e.flags & kBarSessionClose) || in_day == 0;
  }
}

void Portfolio::apply_action(const CorporateAction& a, Timestamp ts) {
  const SymbolId s = a.symbol;
  for (std::size_t i = 0; i < books_.size(); ++i) {
    const auto k = static_cast<StrategyIndex>(i);
    if (s >= books_[k].size() || books_[k][s].quantity == 0.0) continue;
    Book& b = books_[k][s];
    if (a.type == CorporateAction::Type::Dividend) {
      // Longs receive, shorts pay (the lender is owed the dividend).
      const double amount = b.quantity * a.value;
      cash_ += amount;
      dividends_ += amount;
      totals_[k].dividends += amount;
      ledger_.push_back({ts, LedgerEntry::Kind::Dividend, k, s, amount});
    } else {
      const double r = a.value;
      b.quantity *= r;
      b.average_cost /= r;
      for (auto& lot : b.lots) {
        lot.quantity *= r;
        lot.price /= r;
      }
      ledger_.push_back({ts, LedgerEntry::Kind::Split, k, s, r});
    }
  }
  if (a.type == CorporateAction::Type::Split) {
    positions_[s].quantity *= a.value;
    positions_[s].last_price /= a.value;  // the pre-split close in post-split terms
  }
}

void Portfolio::on_fill(const FillEvent& f) {
  auto& pos = positions_[f.symbol];
  Book& b = book(f.strategy, f.symbol);
  Totals& totals = totals_[f.strategy];
  const double signed_qty = f.side == Side::Buy ? f.quantity : -f.quantity;
  const bool future = is_future(f.symbol);
  // A buy takes size * price + commission from cash; a sell returns size * price - commission.
  // A future's fill pays its commission only (close_lots adds its realized P&L).
  if (future)
    cash_ -= f.commission;
  else if (f.side == Side::Buy)
    cash_ -= f.quantity * f.price + f.commission;
  else
    cash_ += f.quantity * f.price - f.commission;
  commissions_ += f.commission;
  totals.commissions += f.commission;
  if (f.commission != 0.0)
    ledger_.push_back({f.ts, LedgerEntry::Kind::Commission, f.strategy, f.symbol, -f.commission});

  const double commission_per_unit = f.commission / f.quantity;
  double to_open = f.quantity;
  const bool reduces = (b.quantity > 0 && f.side == Side::Sell) || (b.quantity < 0 && f.side == Side::Buy);
  if (reduces) to_open = close_lots(b, f.strategy, f, f.quantity, commission_per_unit);
  if (to_open > 0) {
    // Whole fill opens: the lot keeps the fill's commission exactly, so that a
    // round trip's commission is entry + exit as charged (no re-multiplication).
    const double lot_commission = to_open == f.quantity ? f.commission : commission_per_unit * to_open;
    b.lots.push_back({f.ts, to_open, f.price, lot_commission, f.order_id, f.price});
    if (future) pos.open_cost += (f.side == Side::Buy ? to_open : -to_open) * f.price;
    // Average cost: opening quantity joins the average; reductions leave it.
    const double held = reduces ? 0.0 : std::fabs(b.quantity);
    b.average_cost = held > 0 ? (b.average_cost * held + f.price * to_open) / (held + to_open) : f.price;
  }
  b.quantity += signed_qty;
  if (std::fabs(b.quantity) < kQtyEps) {
    b.quantity = 0.0;
    b.average_cost = kNaN;
  }
  pos.quantity += signed_qty;
  if (std::fabs(pos.quantity) < kQtyEps) {
    pos.quantity = 0.0;
    pos.open_cost = 0.0;
  }
  if (std::isnan(pos.last_price)) pos.last_price = f.price;  // marked before its first bar closes
}

double Portfolio::close_lots(Book& b, StrategyIndex k, const FillEvent& f, double quantity,
                             double commission_per_unit) {
  const bool long_trip = b.quantity > 0;
  const bool lifo = config_.lot_matching == LotMatching::Lifo;
  Totals& totals = totals_[k];
  while (quantity > 0 && !b.lots.empty()) {
    Lot& lot = lifo ? b.lots.back() : b.lots.front();
    const double q = std::min(quantity, lot.quantity);
    const bool whole_lot = q == lot.quantity;
    const bool whole_fill = q == f.quantity;
    const double entry_commission = whole_lot ? lot.commission : lot.commission * (q / lot.quantity);
    const double exit_commission = whole_fill ? f.commission : commission_per_unit * q;
    double gross = long_trip ? q * (f.price - lot.price) : q * (lot.price - f.price);
    if (is_future(f.symbol)) {
      gross *= multiplier(f.symbol);
      // No notional was paid: the closed lot settles its P&L since its last mark.
      cash_ += multiplier(f.symbol) * (long_trip ? q * (f.price - lot.mark) : q * (lot.mark - f.price));
      positions_[f.symbol].open_cost -= (long_trip ? q : -q) * lot.mark;
    }
    const double commission = entry_commission + exit_commission;
    closed_.push_back({k, f.symbol, long_trip ? Side::Buy : Side::Sell, lot.time, lot.price, f.ts,
                       f.price, q, gross, commission, gross - commission, lot.order_id, f.order_id});
    realized_pnl_ += gross;
    totals.realized += gross;
    ++totals.trades;
    lot.quantity -= q;
    lot.commission -= entry_commission;
    quantity -= q;
    if (whole_lot || lot.quantity < kQtyEps) {
      if (lifo)
        b.lots.pop_back();
      else
        b.lots.pop_front();
    }
  }
  return quantity;
}

// Borrow fees: the annual rate / 365 per calendar day, on the short market
// value held since the previous valuation (as valued then): a short held over
// a weekend pays three days on Monday. Days are the exchange's local days.
void Portfolio::accrue_borrow_fees(Timestamp ts) {
  if (config_.borrow_fee_rate <= 0.0) return;
  const double days =
      last_valuation_ < 0 ? 0.0 : static_cast<double>(zone_.local_day(ts) - zone_.local_day(last_valuation_));
  if (days > 0)
    for (std::size_t i = 0; i < totals_.size(); ++i) {
      const auto k = static_cast<StrategyIndex>(i);
      const double fee = totals_[k].short_value * config_.borrow_fee_rate / 365.0 * days;
      if (fee <= 0.0) continue;
      cash_ -= fee;
      borrow_fees_ += fee;
      totals_[k].borrow_fees += fee;
      ledger_.push_back({ts, LedgerEntry::Kind::BorrowFee, k, kNoSymbol, -fee});
    }
  for (std::size_t k = 0; k < books_.size(); ++k) {
    double short_value = 0.0;
    for (SymbolId s = 0; s < books_[k].size(); ++s)
      if (books_[k][s].quantity < 0 && !is_future(s))  // a short future borrows nothing
        short_value += -books_[k][s].quantity * positions_[s].last_price;
    totals_[k].short_value = short_value;
  }
}

// Daily settlement (docs/futures.md "Variation margin"): each future whose
// session closed at `ts` pays each book's open P&L since its lots' marks into
// cash (negative: out of it) and marks the lots at the close. Equity does not
// move; cash now holds what equity held as open P&L.
void Portfolio::settle_variation(Timestamp ts) {
  for (SymbolId s = 0; s < positions_.size(); ++s) {
    Position& p = positions_[s];
    if (!p.settle) continue;
    p.settle = false;
    if (p.quantity == 0.0) continue;
    const double m = multiplier(s), close = p.last_price;
    for (std::size_t k = 0; k < books_.size(); ++k) {
      if (s >= books_[k].size() || books_[k][s].quantity == 0.0) continue;
      Book& b = books_[k][s];
      const double sign = b.quantity > 0 ? 1.0 : -1.0;
      double variation = 0.0;
      for (Lot& lot : b.lots) {
        variation += m * (sign * lot.quantity * (close - lot.mark));
        lot.mark = close;
      }
      if (variation == 0.0) continue;
      cash_ += variation;
      ledger_.push_back({ts, LedgerEntry::Kind::Variation, static_cast<StrategyIndex>(k), s, variation});
    }
    p.open_cost = p.quantity * close;
  }
}

void Portfolio::on_valuation(const ValuationTriggerEvent& e) {
  if (futures_) settle_variation(e.ts);
  accrue_borrow_fees(e.ts);
  last_valuation_ = e.ts;
  snapshot_.clear();
  double gross = 0.0, net = 0.0, value = 0.0;
  for (SymbolId s = 0; s < positions_.size(); ++s) {
    const auto& p = positions_[s];
    if (p.quantity == 0.0) continue;
    const double exposure = p.quantity * p.last_price * multiplier(s);
    gross += std::fabs(exposure);
    net += exposure;
    value += is_future(s) ? value_of(s, p) : exposure;
    double avg_sum = 0.0;
    const double cost = lot_cost(s, avg_sum);
    snapshot_.push_back({s, p.quantity, cost / p.quantity, p.last_price, avg_sum / p.quantity});
  }
  // The limits on prices and quantities (qtrader/value_limits.hpp) keep this
  // finite; should anything still overflow, the run fails here rather than
  // ending "completed" with an infinite cash or a NaN equity.
  if (!std::isfinite(cash_ + value) || !std::isfinite(gross))
    throw std::runtime_error(fmt::format("the portfolio's value is not finite at {} (cash {}, "
                                         "positions {}): an overflow",
                                         format_timestamp(e.ts), cash_, net));
  bus_.publish(PortfolioStateEvent{e.ts, cash_, cash_ + value, gross, net, realized_pnl_,
                                   unrealized_pnl(), snapshot_});
}

}  // namespace qtrader
