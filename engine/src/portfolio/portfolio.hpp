// The portfolio service: cash, positions, lots, P&L, a ledger of fees and
// cash events, and per-strategy attribution. It owns this state; other
// services read it through PortfolioView.
//
// Each strategy keeps its own book per symbol (its lots, matched FIFO or LIFO
// within the book); the portfolio's position in a symbol is the sum of the
// books. Closed round trips, realized P&L, exposure, commissions and fees are
// therefore attributable to the strategy that traded them, and the totals are
// the sums over strategies.
//
// Futures (docs/futures.md): a contract's P&L is its price move times its
// multiplier; its fills move cash only by their commission (no notional
// changes hands: the position holds margin, which execution checks). At each
// close of the contract's session its open P&L since the last settlement is
// paid into or out of cash (variation margin), and each lot is marked at that
// close; a lot that closes settles the rest. Equity counts the P&L not yet
// settled. The position in a continuous symbol is the sum of its contracts'.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "data/corporate_actions.hpp"
#include "data/futures_terms.hpp"
#include "qtrader/config.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/time_zone.hpp"
#include "qtrader/events.hpp"
#include "qtrader/portfolio_view.hpp"

namespace qtrader {

// One closed round trip (a lot, or the part of a lot, opened and closed).
struct ClosedTrade {
  StrategyIndex strategy;      // the strategy whose book held the lot
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
  OrderId entry_order_id = 0;  // the order whose fill opened the lot
  OrderId exit_order_id = 0;   // the order whose fill closed it
};

// A cash movement that is not a trade's price: commissions, borrow fees,
// dividends; splits are recorded with amount 0.
struct LedgerEntry {
  enum class Kind : std::uint8_t { Commission, BorrowFee, Dividend, Split, Variation };
  Timestamp ts;
  Kind kind;
  StrategyIndex strategy;
  SymbolId symbol;            // kNoSymbol for a fee over several symbols
  double amount;              // signed effect on cash (fees negative); split: the ratio
};
const char* to_string(LedgerEntry::Kind) noexcept;

// What one strategy has done, for attribution.
struct StrategyAttribution {
  double realized_pnl = 0.0;     // gross, over its closed round trips
  double unrealized_pnl = 0.0;   // its open lots marked at the last prices
  double commissions = 0.0;
  double borrow_fees = 0.0;
  double dividends = 0.0;        // received (longs) minus paid (shorts)
  double gross_exposure = 0.0;   // sum |qty * last price| over its books
  double net_exposure = 0.0;
  std::size_t trades = 0;        // closed round trips
  // realized + unrealized - commissions - borrow fees + dividends
  double total_pnl() const { return realized_pnl + unrealized_pnl - commissions - borrow_fees + dividends; }
};

class Portfolio final : public PortfolioView {
 public:
  Portfolio(EventBus& bus, double initial_cash, std::size_t symbol_count);
  Portfolio(EventBus& bus, double initial_cash, std::size_t symbol_count,
            const PortfolioConfig& config, const CorporateActions* actions = nullptr,
            TimeZone zone = {}, const FuturesTerms* futures = nullptr);

  double cash() const override { return cash_; }
  double equity() const override;
  double position(SymbolId s) const override;
  double last_price(SymbolId s) const override { return positions_[s].last_price; }
  double strategy_position(StrategyIndex k, SymbolId s) const override;
  double multiplier(SymbolId s) const override { return is_future(s) ? futures_->multiplier(s) : 1.0; }
  bool is_future(SymbolId s) const override { return futures_ && futures_->is_future(s); }

  double realized_pnl() const noexcept { return realized_pnl_; }
  double unrealized_pnl() const;
  double commissions() const noexcept { return commissions_; }
  double borrow_fees() const noexcept { return borrow_fees_; }
  double dividends() const noexcept { return dividends_; }
  const std::vector<ClosedTrade>& closed_trades() const noexcept { return closed_; }
  const std::vector<LedgerEntry>& ledger() const noexcept { return ledger_; }
  std::vector<PositionSnapshot> open_positions() const;
  // Average-cost method price of a strategy's book (NaN when flat).
  double average_cost(StrategyIndex k, SymbolId s) const;
  std::size_t strategy_count() const noexcept { return books_.size(); }
  StrategyAttribution attribution(StrategyIndex k) const;

  // A checkpoint's part (docs/checkpoints.md): cash, books and lots, totals,
  // closed trades and the ledger as JSON (portfolio_snapshot.cpp); restore()
  // takes a snapshot of a portfolio built with the same settings.
  std::string snapshot() const;
  void restore(std::string_view json);

 private:
  struct Lot {
    Timestamp time;
    double quantity;     // remaining, > 0
    double price;
    double commission;   // remaining share of the opening commission
    OrderId order_id;    // the opening fill's order
    double mark;         // futures: the price its P&L is settled to in cash (entry, then each settlement)
  };
  struct Book {          // one strategy's holding of one symbol
    double quantity = 0.0;      // signed
    double average_cost = kNaN;
    std::deque<Lot> lots;
  };
  struct Position {
    double quantity = 0.0;      // signed, sum of the books
    double last_price = kNaN;
    double open_cost = 0.0;     // futures: signed sum of the open lots' quantity * mark
    bool settle = false;        // futures: this timestamp's bar closed its session
  };
  struct Totals {
    double realized = 0.0, commissions = 0.0, borrow_fees = 0.0, dividends = 0.0;
    std::size_t trades = 0;
    double short_value = 0.0;   // at the last valuation, for the borrow fee
  };

  void on_fill(const FillEvent&);
  void on_bar(const BarEvent&);
  void on_valuation(const ValuationTriggerEvent&);
  void apply_action(const CorporateAction&, Timestamp ts);
  void accrue_borrow_fees(Timestamp ts);
  void settle_variation(Timestamp ts);
  Book& book(StrategyIndex k, SymbolId s);
  // Closes up to `quantity` of the book's lots; returns what is left to open.
  double close_lots(Book&, StrategyIndex, const FillEvent&, double quantity,
                    double commission_per_unit);
  double lot_cost(SymbolId s, double& average_cost_sum) const;
  // What a position adds to equity: its market value, or a future's open P&L.
  double value_of(SymbolId s, const Position& p) const {
    return is_future(s) ? multiplier(s) * (p.quantity * p.last_price - p.open_cost) : p.quantity * p.last_price;
  }

  EventBus& bus_;
  PortfolioConfig config_;
  const CorporateActions* actions_;
  double cash_;
  double realized_pnl_ = 0.0;
  double commissions_ = 0.0;
  double borrow_fees_ = 0.0;
  double dividends_ = 0.0;
  std::vector<Position> positions_;
  std::vector<std::vector<Book>> books_;  // [strategy][symbol]
  std::vector<Totals> totals_;            // by strategy
  std::vector<std::size_t> next_action_;  // per symbol
  std::vector<ClosedTrade> closed_;
  std::vector<LedgerEntry> ledger_;
  std::vector<PositionSnapshot> snapshot_;  // reused for PortfolioStateEvent
  Timestamp last_valuation_ = -1;
  TimeZone zone_;  // the run's exchange zone: borrow fees count its local days
  const FuturesTerms* futures_;  // nullptr: no futures in the run
};

}  // namespace qtrader
