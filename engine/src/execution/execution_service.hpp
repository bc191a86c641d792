// The execution service: accepts or rejects orders, keeps the working ones and
// fills them against later bars of their symbol (docs/execution.md).
//
// Orders (OrderEvent) and cancels (CancelRequestEvent) are commands; all else
// execution publishes is fact. A command that arrives while execution is busy
// (from a handler of an event it is publishing: a strategy that cancels a
// sibling order in on_fill) waits until that publish has returned, then runs
// before execution's next step. So no handler changes the working orders
// while execution walks them, and the order of effects is the order of
// commands.
//
// Acceptance (when an OrderEvent arrives): field checks (order_checks.hpp),
// then portfolio checks: a short when shorting is off, a buy the cash cannot
// pay for at the reference price (unless leverage above 1 lets cash go
// negative), gross leverage above portfolio.max_gross_leverage. A rejection is
// an OrderRejectedEvent with the reason; an acceptance an OrderUpdateEvent
// (Accepted).
//
// Futures (use_futures; docs/futures.md): an order on a continuous symbol is
// accepted as an order on the contract it trades then (every update and fill
// names the contract); a futures order that opens or increases a position is
// checked against initial margin instead of cash; at each close execution
// trades the scheduled rolls (two market orders per holding strategy, origin
// Roll) and, when equity is below the maintenance margin of the futures held,
// records a margin call and liquidates them (market orders, origin
// MarginCall, filled at the next open).
//
// At most execution.max_working_orders_per_strategy orders of a strategy work
// at once (bracket exits and end-of-data closes are never refused for it).
//
// On each bar of a symbol: due splits rescale the working orders; expired DAY
// and GTD orders are expired; every working order created before the bar that
// the bar can concern (OrderBook::affected_by: the limits and stops its range
// reaches, and those whose time is up) is matched against it
// (fill_rules.hpp) in arrival order, except that of a
// bracket's two children both reached on one bar, the one the open reached
// fills, else the stop (pessimistic); the volume cap limits what all orders
// together take of the bar; slippage and commission apply; fills are
// published, then order updates. Bracket children are placed once the entry
// fills and become active on the next bar.
#pragma once

#include <deque>
#include <optional>
#include <variant>
#include <vector>

#include "data/corporate_actions.hpp"
#include "data/futures_terms.hpp"
#include "execution/commission.hpp"
#include "execution/order_book.hpp"
#include "execution/market_impact.hpp"
#include "execution/slippage.hpp"
#include "execution/working_order.hpp"
#include "qtrader/config.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/exchange_clock.hpp"
#include "qtrader/portfolio_view.hpp"

namespace qtrader {

class ExecutionService {
 public:
  ExecutionService(EventBus& bus, const ExecutionConfig& config, const PortfolioView& portfolio,
                   std::size_t symbol_count);
  ExecutionService(EventBus& bus, const ExecutionConfig& config, const PortfolioConfig& rules,
                   const PortfolioView& portfolio, std::size_t symbol_count,
                   const CorporateActions* actions = nullptr,
                   std::vector<ExchangeClock> clocks = {});

  const CommissionModel& commission() const noexcept { return commission_; }
  // data.stale_policy: close (docs/data.md "Coverage"). On a symbol's last bar
  // while the run goes on (kBarEndOfData), after that bar's fills: its working
  // orders are cancelled and each of the `strategies` books holding it is
  // closed by a market order filled at that bar's close (exit reason
  // end_of_data); later orders for the symbol are rejected.
  void close_at_end_of_data(std::size_t strategies) {
    close_at_end_ = true;
    strategy_count_ = strategies;
  }
  // The run's futures (kept by reference) and how many strategies may hold them.
  void use_futures(const FuturesTerms& futures, std::size_t strategies);
  std::size_t working_orders() const noexcept;
  // A working order by id; nullptr once it is done.
  const WorkingOrder* find(OrderId id) const;

  // A checkpoint's part (docs/checkpoints.md), taken between timestamps: the
  // working orders with their fill, trigger, trailing and bracket state, the
  // last bars, corporate-action cursors, child order ids, commission month
  // and impact windows, as JSON (execution_snapshot.cpp).
  std::string snapshot() const;
  void restore(std::string_view json);

 private:
  using Command = std::variant<OrderEvent, CancelRequestEvent, ModifyOrderEvent>;
  void on_command(Command);
  void run_commands();
  // Publishes a fact, then runs what its handlers commanded.
  template <class E>
  void emit(const E& event) {
    bus_.publish(event);
    run_commands();
  }
  void accept(const OrderEvent&);
  void cancel(const CancelRequestEvent&);
  void modify(const ModifyOrderEvent&);  // order_modify.cpp
  void on_bar(const BarEvent&);
  void work_bar(const Bar&, std::uint8_t flags);
  void close_out(const Bar&);
  void on_valuation(Timestamp ts);
  void trade_rolls(Timestamp ts);
  void move_orders(const ScheduledRoll&, Timestamp ts);
  void check_maintenance_margin(Timestamp ts);
  std::string check_initial_margin(const OrderEvent&) const;
  bool is_future(SymbolId s) const noexcept { return futures_ && futures_->is_future(s); }
  double multiplier(SymbolId s) const noexcept { return futures_ ? futures_->multiplier(s) : 1.0; }

  std::string check_against_portfolio(const OrderEvent&) const;
  double reference_price(const OrderEvent&) const;
  // What the market sells of one risk batch (orders created at `batch`) still
  // to fill will bring in at the last close, commission off: a batch is
  // netted, so its buys may count on it (docs/execution.md, "Cash").
  double batch_sale_proceeds(Timestamp batch) const;
  void apply_split(SymbolId, double ratio);
  // Expires or matches list[index] against the bar. Holds no reference
  // across an emit: the commands run after it may add working orders.
  enum class FillPhase : std::uint8_t { Open, Inside, Close, None };
  bool active_on(const WorkingOrder&, const Bar&) const;
  bool closes_session(SymbolId, Timestamp bar_ts, std::uint8_t flags) const;
  FillPhase phase_of(const WorkingOrder&, const Bar&) const;
  void work(SymbolId, std::size_t index, const Bar&, FillPhase);
  void end_of_bar(SymbolId, std::size_t index, const Bar&);
  bool expire_if_due(WorkingOrder&, const Bar&);
  // The bracket sibling that should fill instead of list[index] on this bar, if any.
  std::optional<std::size_t> pessimistic_winner(SymbolId, std::size_t index, const Bar&);
  void execute(SymbolId, std::size_t index, const Bar&, double price);
  double with_impact(SymbolId, Side, double match_price, double qty, const Bar&, double limit, double& impact);
  void after_fill(SymbolId, std::size_t index, double quantity);
  void place_or_grow_children(SymbolId, std::size_t index, double quantity);
  void protect_exits(SymbolId, StrategyIndex);
  void finish(WorkingOrder&, OrderStatus, std::string reason);
  void refuse(WorkingOrder&, Timestamp ts, std::string reason);
  void publish_update(const WorkingOrder&, Timestamp ts, OrderStatus, std::string reason = {});
  std::optional<std::size_t> index_of(SymbolId s, OrderId id) const { return book_.slot_of(s, id); }
  std::vector<WorkingOrder>& list(SymbolId s) { return book_.orders(s); }
  void flush_children();

  EventBus& bus_;
  CommissionModel commission_;
  SlippageModel slippage_;
  MarketImpactModel impact_;
  PortfolioConfig rules_;
  const PortfolioView& portfolio_;
  const CorporateActions* actions_;
  bool market_at_close_;
  double volume_limit_;

  OrderBook book_;                                  // the working orders, indexed
  std::size_t max_working_per_strategy_;
  std::vector<Bar> last_bar_;                       // per symbol (ts 0: none yet)
  std::vector<std::uint8_t> last_flags_;            // per symbol: last_bar_'s BarFlag bits
  std::vector<Timestamp> ended_;                    // per symbol: its data's last bar (0: not ended)
  bool close_at_end_ = false;
  std::size_t strategy_count_ = 0;
  // Per symbol, its source's trading day (DAY orders); UTC days when the
  // constructor was given none.
  std::vector<ExchangeClock> clocks_;
  const ExchangeClock& clock_of(SymbolId s) const { return clocks_[s]; }
  std::vector<double> volume_taken_;                // of last_bar_, by all fills
  std::vector<std::size_t> next_action_;            // per symbol, into actions_->of(s)
  std::vector<OrderEvent> children_;                // placed after the current bar's fills
  std::vector<std::size_t> slots_;                  // scratch: the slots a bar concerns
  std::vector<std::size_t> exits_;                  // scratch: a strategy's bracket exits on a symbol
  std::deque<Command> inbox_;                       // commands waiting for a publish to return
  bool busy_ = false;                               // working a bar or running commands
  bool in_bar_ = false;                             // working a bar: indices must stay put
  OrderId next_child_id_ = kChildOrderIdBase;
  const FuturesTerms* futures_ = nullptr;
  std::size_t futures_strategies_ = 0;
  std::size_t next_roll_ = 0;                       // into futures_->rolls
  std::vector<OrderId> liquidations_;               // the last margin call's orders
  Timestamp now_ = 0;
};

}  // namespace qtrader
