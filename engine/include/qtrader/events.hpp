// The typed events that flow on the EventBus. Events are plain structs passed by
// const reference; none owns heap memory on the per-bar path.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader {

enum class EventType : std::uint8_t {
  BacktestStart,
  Bar,
  Slice,
  Signal,
  Order,
  OrderRejected,
  OrderUpdate,
  CancelRequest,
  Record,
  Fill,
  PortfolioState,
  ValuationTrigger,
  RiskEvaluationTrigger,
  BacktestEnd,
  CorporateAction,
  ModifyOrder,
  Tick,
  Count_
};
const char* to_string(EventType) noexcept;

struct BacktestStartEvent {
  static constexpr EventType kType = EventType::BacktestStart;
  Timestamp ts;        // the configured start date
  Timestamp end;       // the configured end date
  double initial_equity;
};

struct BarEvent {
  static constexpr EventType kType = EventType::Bar;
  const Bar& bar;
  std::uint8_t flags = 0;  // BarFlag bits
};

// A split or cash dividend takes effect: published (engine/src/engine/
// corporate_action_feed.hpp) when the symbol's first bar dated on or after
// the ex-date is published, before the portfolio and execution apply it to
// that bar's positions and working orders. Stored for consumers of the run's
// events; the services apply the same table themselves.
struct CorporateActionEvent {
  static constexpr EventType kType = EventType::CorporateAction;
  Timestamp ts;        // the bar on which it takes effect
  SymbolId symbol;
  bool dividend;       // false: a split
  double value;        // split: new shares per old share; dividend: cash per share
  Timestamp ex_date;   // the date in the corporate actions file
};

// A trade of a tick source, for the strategies with on_tick: published in the
// ticks phase of the timestamp of the bar it belongs to, before that bar
// (engine/src/engine/tick_feed.hpp). Never stored.
struct TickEvent {
  static constexpr EventType kType = EventType::Tick;
  const Tick& tick;
  Timestamp bar_ts;  // the bar's (T's): what ctx:now() reads in on_tick
};

// Every bar of `ts` has been published (so pending orders have filled and the
// portfolio is marked on all of them); strategies act on the slice now.
struct SliceEvent {
  static constexpr EventType kType = EventType::Slice;
  Timestamp ts;
  std::span<const Bar> bars;  // ordered by symbol id
};

struct SignalEvent {
  static constexpr EventType kType = EventType::Signal;
  Timestamp ts;
  std::uint64_t signal_id;  // run-unique, in emission order
  StrategyIndex strategy;
  SymbolId symbol;
  Intention intention;
  double price = kNaN;        // optional hints, NaN when absent
  double confidence = kNaN;
  double stop_loss = kNaN;
  double take_profit = kNaN;
  std::string tag;
  OrderSpec order;            // how the resulting order should execute
  double quantity = kNaN;     // requested by the strategy (targets); NaN: the policy sizes
};

// A command: the risk service (or execution, for a bracket's exits) asks
// execution to work an order. Execution answers with facts: an
// OrderUpdateEvent (accepted) or an OrderRejectedEvent.
struct OrderEvent {
  static constexpr EventType kType = EventType::Order;
  Timestamp ts;             // when the order was created (the signal's timestamp)
  OrderId order_id;
  std::uint64_t signal_id;
  StrategyIndex strategy;
  SymbolId symbol;
  Side side;
  double quantity;          // > 0; the side says which way
  OrderSpec spec;
  OrderId parent_id = 0;    // a bracket child's entry order; 0 otherwise
  // Bracket: once this (entry) order fills, execution places a stop at
  // stop_loss and a limit at take_profit on the other side, one-cancels-other.
  // NaN when absent. The risk service copies them from the order's signal.
  double stop_loss = kNaN;
  double take_profit = kNaN;
  // Execution's own close of a position whose symbol's data has ended
  // (data.stale_policy: close): filled at that last bar's close.
  bool end_of_data = false;
  // Execution's own orders on futures (docs/futures.md): one leg of a roll
  // (closing the old contract or opening the new one), or a liquidation
  // after a margin call. Neither is checked against cash or margin.
  enum class Origin : std::uint8_t { Strategy, Roll, MarginCall };
  Origin origin = Origin::Strategy;
  // A strategy's order that execution moved from an old contract to the new
  // one at a roll (docs/futures.md): the cancelled order it replaces. Not
  // checked again (the working-order cap, cash, margin) at its acceptance.
  OrderId moved_from = 0;
};
// "roll", "margin_call"; "" for a strategy's order.
inline const char* origin_name(OrderEvent::Origin o) noexcept {
  return o == OrderEvent::Origin::Roll ? "roll" : o == OrderEvent::Origin::MarginCall ? "margin_call" : "";
}

struct OrderRejectedEvent {
  static constexpr EventType kType = EventType::OrderRejected;
  Timestamp ts;
  OrderId order_id;          // 0 when rejected before an order existed (by risk)
  std::uint64_t signal_id;
  StrategyIndex strategy;
  SymbolId symbol;
  std::string reason;
};

// An order's state as execution decided it: accepted, partially filled,
// filled, cancelled, expired. Every order that is not rejected outright is
// first accepted, before any other update or fill of it.
struct OrderUpdateEvent {
  static constexpr EventType kType = EventType::OrderUpdate;
  Timestamp ts;
  OrderId order_id;
  std::uint64_t signal_id;
  StrategyIndex strategy;
  SymbolId symbol;
  OrderStatus status;
  double filled_quantity;    // so far
  double remaining_quantity;
  std::string reason;        // why it was cancelled or expired
  Side side = Side::Buy;     // the order's side and size, so a listener
  double quantity = kNaN;    // needs no memory of the OrderEvent
};

// A command: a strategy asks to cancel one of its working orders. Execution
// answers with an OrderUpdateEvent (cancelled) or an OrderRejectedEvent.
struct CancelRequestEvent {
  static constexpr EventType kType = EventType::CancelRequest;
  Timestamp ts;
  OrderId order_id;
  StrategyIndex strategy;
};

// A command: a strategy asks to change one of its working orders
// (ctx:modify_order; docs/execution.md "Modifying an order"): its total
// quantity, limit price, stop price; NaN keeps a field as it is. Execution
// answers with an OrderUpdateEvent (its status, reason `replaced`) or an
// OrderRejectedEvent (the reason; the order goes on unchanged).
struct ModifyOrderEvent {
  static constexpr EventType kType = EventType::ModifyOrder;
  Timestamp ts;
  OrderId order_id;
  StrategyIndex strategy;
  double quantity = kNaN;
  double limit_price = kNaN;
  double stop_price = kNaN;
};

// A named value a script recorded with ctx:record(name, value[, symbol]).
struct RecordEvent {
  static constexpr EventType kType = EventType::Record;
  Timestamp ts;
  StrategyIndex strategy;
  SymbolId symbol;           // kNoSymbol when not given
  std::string_view name;     // valid during publication only
  double value;
};

struct FillEvent {
  static constexpr EventType kType = EventType::Fill;
  Timestamp ts;
  OrderId order_id;
  StrategyIndex strategy;
  SymbolId symbol;
  Side side;
  double quantity;    // > 0
  double price;
  double commission;
  // The signal that started the order's chain (a bracket child: its entry's),
  // 0 for execution's own end-of-data close: consumers link a fill to its
  // signal without remembering the order.
  std::uint64_t signal_id = 0;
  // The order's origin (futures: a roll leg, a margin-call liquidation), so
  // fills.csv and on_fill tell a roll's fills from the strategy's own.
  OrderEvent::Origin origin = OrderEvent::Origin::Strategy;
};

struct PositionSnapshot {
  SymbolId symbol;
  double quantity;    // signed: negative is short
  double avg_price;     // cost of the open lots / quantity (the lots' FIFO/LIFO basis)
  double last_price;
  double average_cost = kNaN;  // average-cost method: running average of opening fills
};

struct PortfolioStateEvent {
  static constexpr EventType kType = EventType::PortfolioState;
  Timestamp ts;
  double cash;
  double equity;
  double gross_exposure;  // sum |qty * price|
  double net_exposure;    // sum qty * price
  double realized_pnl;
  double unrealized_pnl;
  const std::vector<PositionSnapshot>& positions;  // open positions only, by symbol id
};

struct ValuationTriggerEvent {
  static constexpr EventType kType = EventType::ValuationTrigger;
  Timestamp ts;
};

struct RiskEvaluationTriggerEvent {
  static constexpr EventType kType = EventType::RiskEvaluationTrigger;
  Timestamp ts;
};

struct BacktestEndEvent {
  static constexpr EventType kType = EventType::BacktestEnd;
  Timestamp ts;   // the last bar's timestamp
  std::uint64_t bars_processed;
};

}  // namespace qtrader
