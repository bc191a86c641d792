// The portfolio service: cash, positions with FIFO lots, realized and
// unrealized P&L, and the closed round trips. It owns this state; other
// services read it through PortfolioView.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "qtrader/event_bus.hpp"
#include "qtrader/events.hpp"

namespace qtrader {

// One closed round trip (a lot, or the part of a lot, opened and closed).
struct ClosedTrade {
  StrategyIndex strategy;      // the strategy whose fill opened the lot
  SymbolId symbol;
  Side entry_side;             // Buy for a long round trip
  Timestamp entry_time;
  double entry_price;
  Timestamp exit_time;
  double exit_price;
  double quantity;             // > 0
  double gross_pnl;            // quantity * (exit - entry), sign-corrected for shorts
  double commission;           // entry share + exit share
  double net_pnl;              // gross_pnl - commission
};

// Read-only view for services that must consult the portfolio (execution's
// cash check, the risk context, strategy contexts).
class PortfolioView {
 public:
  virtual ~PortfolioView() = default;
  virtual double cash() const = 0;
  virtual double equity() const = 0;
  virtual double position(SymbolId) const = 0;
  virtual double last_price(SymbolId) const = 0;  // NaN before the first bar
};

class Portfolio final : public PortfolioView {
 public:
  Portfolio(EventBus& bus, double initial_cash, std::size_t symbol_count);

  double cash() const override { return cash_; }
  double equity() const override;
  double position(SymbolId s) const override { return positions_[s].quantity; }
  double last_price(SymbolId s) const override { return positions_[s].last_price; }

  double realized_pnl() const noexcept { return realized_pnl_; }
  double unrealized_pnl() const;
  double commissions() const noexcept { return commissions_; }
  const std::vector<ClosedTrade>& closed_trades() const noexcept { return closed_; }
  std::vector<PositionSnapshot> open_positions() const;

 private:
  struct Lot {
    StrategyIndex strategy;
    Timestamp time;
    double quantity;     // remaining, > 0
    double price;
    double commission;   // remaining share of the opening commission
  };
  struct Position {
    double quantity = 0.0;  // signed
    double last_price = kNaN;
    std::deque<Lot> lots;   // FIFO: front is the oldest
  };

  void on_fill(const FillEvent&);
  void on_bar(const BarEvent&);
  void on_valuation(const ValuationTriggerEvent&);
  // Closes up to `quantity` of the opposite-side lots; returns what is left to open.
  double close_lots(Position&, const FillEvent&, double quantity, double commission_per_unit);

  EventBus& bus_;
  double cash_;
  double realized_pnl_ = 0.0;
  double commissions_ = 0.0;
  std::vector<Position> positions_;
  std::vector<ClosedTrade> closed_;
  std::vector<PositionSnapshot> snapshot_;  // reused for PortfolioStateEvent
};

}  // namespace qtrader
