#pragma once
// The seam between the engine and where orders go (docs/live.md): the
// simulated execution of a backtest, the paper broker, or an external
// venue (FIX 4.4 through QuickFIX). Strategy, risk and portfolio never see
// which one: an adapter turns the engine's OrderEvent/CancelRequestEvent into
// calls here and each BrokerExecution back into OrderUpdateEvent/FillEvent.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader::live {

// An order as a broker sees it: the symbol by name, the id a string the
// venue echoes back. client_order_id is deterministic and persisted before
// the order is sent, so a restarted engine never sends it twice.
struct BrokerOrder {
  std::string client_order_id;
  std::string symbol;
  Side side = Side::Buy;
  double quantity = 0;                 // > 0; the side says which way
  OrderType type = OrderType::Market;  // Market, Limit, Stop, StopLimit, TrailingStop, MarketOnClose
  double limit_price = kNaN;
  double stop_price = kNaN;            // a trailing stop's initial trigger, when given
  double trail_amount = kNaN;          // TrailingStop: by amount ...
  double trail_percent = kNaN;         // ... or by percent (5 = 5%)
  TimeInForce tif = TimeInForce::Day;
  Timestamp expire_at = 0;             // GTD: when the order expires (ns since the epoch, UTC)
  Timestamp created_at = 0;            // engine time, ns since the epoch (UTC)
};

// A change to a working limit, stop or stop-limit order (FIX 35=G): its new
// total quantity (more than is filled) and prices; NaN keeps a price as it is.
struct BrokerReplace {
  double quantity = 0;
  double limit_price = kNaN;
  double stop_price = kNaN;
};

enum class ExecutionKind : std::uint8_t {
  New,          // accepted by the venue
  PartialFill,
  Fill,         // the order's last fill
  Cancelled,
  Rejected,
  Expired,
  Status,       // an answer to a state request, no change
  Replaced,     // a replace took effect: the report's quantity and prices are the order's now
  CancelRejected,  // a cancel or replace refused (FIX 35=9): the order goes on as it was
};
std::string_view name_of(ExecutionKind kind);

// Where an order stands after a report (FIX OrdStatus, 39): what an answer
// to a status request says of an order whose reports the engine may have missed.
enum class BrokerOrderState : std::uint8_t { Unknown, Working, Filled, Cancelled, Expired, Rejected };
// One execution report, mapped from the venue's protocol.
struct BrokerExecution {
  std::string client_order_id;
  std::string broker_order_id;
  std::string exec_id;            // unique per report at the venue: the key that drops duplicates
  ExecutionKind kind = ExecutionKind::New;
  std::string symbol;
  Side side = Side::Buy;
  double order_quantity = 0;
  OrderType order_type = OrderType::Market;
  double limit_price = kNaN;      // the order's prices as the report gives them (Price 44, StopPx 99)
  double stop_price = kNaN;
  double last_quantity = 0;       // this report's fill; 0 when not a fill
  double last_price = kNaN;
  double cumulative_quantity = 0;
  double leaves_quantity = 0;
  double average_price = kNaN;    // of the order's fills so far (AvgPx, 6); NaN when not given
  BrokerOrderState state = BrokerOrderState::Unknown;
  double commission = 0;
  std::string text;               // the venue's reason on a reject or cancel
  Timestamp transact_time = 0;
};

struct BrokerPosition {
  std::string symbol;
  double quantity = 0;            // signed: negative is short
  double average_price = kNaN;
};

// What the broker says is true now: asked after a (re)start to reconcile.
struct BrokerState {
  std::vector<BrokerExecution> open_orders;  // kind Status, one per working order
  std::vector<BrokerPosition> positions;
  double cash = kNaN;                        // NaN when the broker does not report it
  // The reports the broker gave before this answer (and not yet through
  // poll()): the answer's figures include them, so the engine applies them
  // before it compares. Reports after the answer stay for poll().
  std::vector<BrokerExecution> reports_before;
};

// Calls come from the engine thread. An implementation may run its own
// threads (a FIX session does) but hands reports back only through poll().
class Broker {
 public:
  virtual ~Broker() = default;
  virtual std::string name() const = 0;
  virtual void start() = 0;            // connect, log on; throws on a configuration error
  virtual void stop() = 0;             // log out, flush
  virtual bool connected() const = 0;
  // Why this broker cannot take `order` (its type, time in force, ...), ""
  // when it can: asked before the order is persisted or sent.
  virtual std::string refusal(const BrokerOrder& order) const = 0;
  virtual void submit(const BrokerOrder& order) = 0;
  virtual void cancel(const std::string& client_order_id) = 0;
  // Answered by a report: Replaced, or CancelRejected with the reason. The
  // order keeps its client order id in every later report.
  virtual void replace(const std::string& client_order_id, const BrokerReplace& change) = 0;
  // Reports received since the last call, in arrival order.
  virtual std::vector<BrokerExecution> poll() = 0;
  // The broker's view of open orders and positions, waiting up to `timeout`.
  virtual BrokerState request_state(std::chrono::milliseconds timeout) = 0;
  // Where each of these orders stands at the broker (FIX OrderStatusRequest,
  // 35=H): one report of kind Status each, with its state, cumulative
  // quantity and average price; state Unknown for an order the broker does
  // not know. A restart asks it of the orders it believes working, so that a
  // report lost with the killed process is made good from the totals.
  virtual std::vector<BrokerExecution> order_status(const std::vector<std::string>& client_order_ids,
                                                    std::chrono::milliseconds timeout) = 0;
};

}  // namespace qtrader::live
