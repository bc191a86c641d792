// What services may read of the portfolio. The portfolio service owns cash
// and positions; execution (its acceptance and fill checks), the strategy
// contexts and the risk context see them only through this interface, so
// they depend on it and not on the portfolio's implementation.
#pragma once

#include "qtrader/types.hpp"

namespace qtrader {

// Read-only view for services that must consult the portfolio (execution's
// checks, the risk context, strategy contexts).
class PortfolioView {
 public:
  virtual ~PortfolioView() = default;
  virtual double cash() const = 0;
  virtual double equity() const = 0;
  virtual double position(SymbolId) const = 0;
  virtual double last_price(SymbolId) const = 0;  // NaN before the first bar
  // The part of the position held by one strategy's book.
  virtual double strategy_position(StrategyIndex, SymbolId s) const { return position(s); }
  // Money per unit of price per unit held: a future's contract multiplier
  // (docs/futures.md), 1 for shares. Value-based sizing counts
  // quantity * multiplier * price.
  virtual double multiplier(SymbolId) const { return 1.0; }
  // A futures contract (or a continuous future)? Its buys spend no cash.
  virtual bool is_future(SymbolId) const { return false; }
};

}  // namespace qtrader
