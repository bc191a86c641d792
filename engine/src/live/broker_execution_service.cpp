#include "live/broker_execution_service.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "execution/order_checks.hpp"
#include "execution/working_order.hpp"
#include "live/kill_point.hpp"
#include "qtrader/run_log.hpp"

namespace qtrader::live {

BrokerExecutionService::BrokerExecutionService(EventBus& bus, Broker& broker, LiveState& state,
                                               std::string session_key, const SymbolTable& symbols,
                                               const PortfolioView& portfolio)
    : bus_(bus), broker_(broker), state_(state), key_(std::move(session_key)), symbols_(symbols),
      portfolio_(portfolio), next_child_id_(kChildOrderIdBase) {
  bus.subscribe<OrderEvent>([this](const OrderEvent& e) { on_order(e); });
  bus.subscribe<CancelRequestEvent>([this](const CancelRequestEvent& e) { on_cancel(e); });
  bus.subscribe<ModifyOrderEvent>([this](const ModifyOrderEvent& e) { on_modify(e); });
  for (auto& [point, x] : state.executions()) seen_.insert(x.exec_id);
}

void BrokerExecutionService::begin_replay() {
  replaying_ = true;
  seen_.clear();
  for (auto& [point, x] : state_.executions()) recorded_.emplace(point, std::move(x));
}

void BrokerExecutionService::replay_point(const std::string& point, Timestamp now) {
  const auto [first, last] = recorded_.equal_range(point);
  std::vector<BrokerExecution> due;
  for (auto it = first; it != last; ++it) due.push_back(it->second);
  recorded_.erase(first, last);
  for (const auto& x : due) apply(x, now, point);
}

void BrokerExecutionService::replay_after(Timestamp ts) { replay_point("after:" + std::to_string(ts), ts); }

void BrokerExecutionService::send_deferred() {
  for (const BrokerOrder& o : std::exchange(deferred_, {})) {
    if (!orders_.count(o.client_order_id)) continue;  // ended while the journal replayed
    run_log().info("live: bracket exit {} was made but not sent before the restart: sent now", o.client_order_id);
    state_.record_send(o.client_order_id, o.created_at);
    state_.checkpoint();
    broker_.submit(o);
    pump_at(o.created_at, "submit:" + o.client_order_id);
  }
}

void BrokerExecutionService::end_replay() {
  replaying_ = false;
  for (auto& [point, x] : state_.executions()) seen_.insert(x.exec_id);
  recorded_.clear();
}

std::vector<std::string> BrokerExecutionService::working() const {
  std::vector<std::string> out;
  for (const auto& [id, t] : orders_) out.push_back(id);
  std::sort(out.begin(), out.end());
  return out;
}

void BrokerExecutionService::on_order(const OrderEvent& e) {
  // The crash tests' point between an entry's fill and its exit's first trace on disk.
  if (e.parent_id && !replaying_) kill_point("bracket-exit");
  const std::string id = client_id(e.order_id);
  orders_.emplace(id, Tracked{e, 0});
  BrokerOrder o;
  o.client_order_id = id;
  o.symbol = symbols_.name(e.symbol);
  o.side = e.side;
  o.quantity = e.quantity;
  o.type = e.spec.type;
  o.limit_price = e.spec.limit_price;
  o.stop_price = e.spec.stop_price;
  o.trail_amount = e.spec.trail_amount;
  o.trail_percent = e.spec.trail_percent;
  o.tif = e.spec.tif;
  o.expire_at = e.spec.expiry;
  o.created_at = e.ts;
  if (const std::string why = broker_.refusal(o); !why.empty()) {
    orders_.erase(id);
    bus_.publish(OrderRejectedEvent{e.ts, e.order_id, e.signal_id, e.strategy, e.symbol, why});
    return;
  }
  // On disk before it leaves: a crash after the send finds the order on
  // record, and a restart never sends that id again.
  state_.record_order({id, e.order_id, o.symbol, to_string(e.side), e.quantity, "new", 0}, e.ts);
  if (state_.has_send(id)) {
    // Sent before a restart: its answers come from the record, never a second send.
    if (replaying_) replay_point("submit:" + id, e.ts);
    return;
  }
  if (replaying_ && e.parent_id) {
    deferred_.push_back(o);
    return;
  }
  if (replaying_) {
    ++unsent_;
    orders_.erase(id);
    bus_.publish(OrderRejectedEvent{e.ts, e.order_id, e.signal_id, e.strategy, e.symbol,
                                    "made while the journal replayed and not on record: not sent"});
    return;
  }
  state_.record_send(id, e.ts);
  state_.checkpoint();
  broker_.submit(o);
  pump_at(e.ts, "submit:" + id);  // a broker that answers at once (the paper broker) is answered in order
}

void BrokerExecutionService::on_cancel(const CancelRequestEvent& e) {
  const std::string id = client_id(e.order_id);
  const auto it = orders_.find(id);
  if (it == orders_.end()) {
    bus_.publish(OrderRejectedEvent{e.ts, e.order_id, 0, e.strategy, kNoSymbol, "cancel: no such working order"});
    return;
  }
  request_cancel(id, {}, e.ts);
}

void BrokerExecutionService::request_cancel(const std::string& id, std::string reason, Timestamp ts) {
  const auto it = orders_.find(id);
  if (it == orders_.end()) return;
  it->second.cancel_reason = std::move(reason);
  if (replaying_) {
    replay_point("cancel:" + id, ts);
    return;
  }
  broker_.cancel(id);
  pump_at(ts, "cancel:" + id);
}

// ctx:modify_order: checked as the simulated execution checks it, then
// Broker::replace; the broker's answer is a Replaced report (an update with
// reason "replaced") or a CancelRejected (a rejection the strategy sees).
void BrokerExecutionService::on_modify(const ModifyOrderEvent& e) {
  const std::string id = client_id(e.order_id);
  const auto it = orders_.find(id);
  const auto refuse = [&](SymbolId symbol, std::uint64_t signal, const std::string& why) {
    bus_.publish(OrderRejectedEvent{e.ts, e.order_id, signal, e.strategy, symbol, "modify refused: " + why});
  };
  if (it == orders_.end() || it->second.adopted || it->second.order.strategy != e.strategy) {
    refuse(kNoSymbol, 0, fmt::format("order {} is not a working order of this strategy", e.order_id));
    return;
  }
  const OrderEvent& o = it->second.order;
  if (const std::string why = check_order_change(o, it->second.filled, e); !why.empty()) {
    refuse(o.symbol, o.signal_id, why);
    return;
  }
  it->second.modifying = true;
  request_replace(id, BrokerReplace{std::isnan(e.quantity) ? o.quantity : e.quantity, e.limit_price, e.stop_price},
                  e.ts);
}

void BrokerExecutionService::request_quantity(const std::string& id, double quantity, Timestamp ts) {
  request_replace(id, BrokerReplace{quantity, kNaN, kNaN}, ts);
}

void BrokerExecutionService::request_replace(const std::string& id, const BrokerReplace& change, Timestamp ts) {
  const auto it = orders_.find(id);
  if (it == orders_.end()) return;
  const std::string point = fmt::format("replace:{}:{}", id, ++it->second.replaces);
  if (replaying_) {
    replay_point(point, ts);
    return;
  }
  broker_.replace(id, change);
  pump_at(ts, point);
}

void BrokerExecutionService::pump(Timestamp now, Timestamp after) { pump_at(now, "after:" + std::to_string(after)); }

void BrokerExecutionService::pump_at(Timestamp now, const std::string& point) {
  if (replaying_) return;
  for (const BrokerExecution& x : broker_.poll()) apply(x, now, point);
}

namespace {

constexpr double kQuantityEpsilon = 1e-9;
const std::string kCorrection = "correction:";
const std::string kAdopt = "adopt:";

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

void BrokerExecutionService::apply_reports(const std::vector<BrokerExecution>& reports, Timestamp now,
                                           Timestamp after) {
  for (const auto& x : reports) apply(x, now, "after:" + std::to_string(after));
}

std::string BrokerExecutionService::recover(const BrokerExecution& status, Timestamp now, Timestamp after) {
  const auto it = orders_.find(status.client_order_id);
  if (it == orders_.end() || status.state == BrokerOrderState::Unknown) return {};
  const std::string point = "after:" + std::to_string(after);
  const Tracked& t = it->second;
  std::string done;
  const double missing = status.cumulative_quantity - t.filled;
  if (missing > kQuantityEpsilon && std::isfinite(status.average_price)) {
    BrokerExecution fill = status;
    fill.exec_id = fmt::format("status:{}:{}", status.client_order_id, status.cumulative_quantity);
    fill.kind = status.state == BrokerOrderState::Filled ? ExecutionKind::Fill : ExecutionKind::PartialFill;
    fill.last_quantity = missing;
    // The fills the engine has are part of the broker's average: the rest is this one's.
    fill.last_price = (status.average_price * status.cumulative_quantity - t.notional) / missing;
    fill.commission = 0;
    if (!fill.transact_time) fill.transact_time = now;
    done = fmt::format("filled {} at {} at the broker while the engine was away", missing, fill.last_price);
    apply(fill, now, point);
  }
  if (orders_.count(status.client_order_id) == 0) return done;
  ExecutionKind end = ExecutionKind::Status;
  if (status.state == BrokerOrderState::Cancelled) end = ExecutionKind::Cancelled;
  if (status.state == BrokerOrderState::Expired) end = ExecutionKind::Expired;
  if (status.state == BrokerOrderState::Rejected) end = ExecutionKind::Rejected;
  if (end == ExecutionKind::Status) return done;
  BrokerExecution x = status;
  x.exec_id = fmt::format("status:{}:{}", status.client_order_id, name_of(end));
  x.kind = end;
  x.last_quantity = 0;
  x.last_price = kNaN;
  x.text = fmt::format("{} at the broker while the engine was away", name_of(end));
  apply(x, now, point);
  return done.empty() ? x.text : done + ", then " + x.text;
}

void BrokerExecutionService::adopt(const BrokerExecution& open_order, Timestamp now, Timestamp after) {
  BrokerExecution x = open_order;
  x.exec_id = kAdopt + open_order.client_order_id;
  x.kind = ExecutionKind::New;
  x.last_quantity = 0;
  x.last_price = kNaN;
  apply(x, now, "after:" + std::to_string(after));
}

void BrokerExecutionService::drop(const std::string& client_order_id, const std::string& reason, Timestamp now,
                                  Timestamp after) {
  BrokerExecution x;
  x.client_order_id = client_order_id;
  x.exec_id = "dropped:" + client_order_id;
  x.kind = ExecutionKind::Cancelled;
  x.text = reason;
  x.transact_time = now;
  apply(x, now, "after:" + std::to_string(after));
}

void BrokerExecutionService::correct_position(const std::string& symbol, double difference, double price,
                                              Timestamp now, Timestamp after) {
  BrokerExecution x;
  x.exec_id = fmt::format("{}{}:{}", kCorrection, after, symbol);
  x.kind = ExecutionKind::Fill;
  x.symbol = symbol;
  x.side = difference > 0 ? Side::Buy : Side::Sell;
  x.order_quantity = x.last_quantity = x.cumulative_quantity = std::abs(difference);
  x.last_price = x.average_price = price;
  x.state = BrokerOrderState::Filled;
  x.transact_time = now;
  apply(x, now, "after:" + std::to_string(after));
}

// What the reconciliation made: a correction fill, or an adopted order.
void BrokerExecutionService::apply_own(const BrokerExecution& x, Timestamp now, const std::string& point) {
  const SymbolId symbol = symbols_.find(x.symbol);
  if (symbol == kNoSymbol) {
    run_log().warn("live: reconciliation: {} names {}, not in the universe: ignored", x.exec_id, x.symbol);
    return;
  }
  if (!replaying_) state_.record_execution(x, point);
  const Timestamp ts = x.transact_time ? x.transact_time : now;
  if (starts_with(x.exec_id, kAdopt)) {
    Tracked t{OrderEvent{}, x.cumulative_quantity,
              std::isfinite(x.average_price) ? x.average_price * x.cumulative_quantity : 0, true};
    t.order.ts = ts;
    t.order.symbol = symbol;
    t.order.side = x.side;
    t.order.quantity = x.order_quantity;
    orders_.insert_or_assign(x.client_order_id, t);
    return;
  }
  state_.record_fill(x.exec_id, "", ts, to_string(x.side), x.last_quantity, x.last_price, 0);
  bus_.publish(FillEvent{ts, 0, 0, symbol, x.side, x.last_quantity, x.last_price, 0, 0});
}

void BrokerExecutionService::apply(const BrokerExecution& x, Timestamp now, const std::string& point) {
  if (x.kind == ExecutionKind::Status) return;  // an answer to a state request
  if (!x.exec_id.empty() && !seen_.insert(x.exec_id).second) {
    ++duplicates_;
    return;
  }
  if (starts_with(x.exec_id, kCorrection) || starts_with(x.exec_id, kAdopt)) return apply_own(x, now, point);
  if (x.kind == ExecutionKind::CancelRejected) {
    // The order goes on as it was (or has ended: a cancel too late); the refusal is news, not a change,
    // except to a strategy whose modify it answers.
    const auto it = orders_.find(x.client_order_id);
    if (it != orders_.end() && it->second.modifying) {
      if (!replaying_) state_.record_execution(x, point);  // a restart gives the strategy the same answer
      it->second.modifying = false;
      const OrderEvent& o = it->second.order;
      // The paper venue's book words its refusal as the backtest does; another broker's text is quoted.
      const std::string why = starts_with(x.text, "modify refused: ") ? x.text
                              : "modify refused: " + (x.text.empty() ? std::string("by the broker") : x.text);
      bus_.publish(OrderRejectedEvent{x.transact_time ? x.transact_time : now, o.order_id, o.signal_id, o.strategy,
                                      o.symbol, why});
      return;
    }
    run_log().warn("live: order {}: {}", x.client_order_id, x.text);
    state_.record_event(now, "cancel_rejected", fmt::format("order {}: {}", x.client_order_id, x.text));
    return;
  }
  const auto it = orders_.find(x.client_order_id);
  if (it == orders_.end()) {
    ++unknown_;
    const std::string text = fmt::format("execution {} for an order this session did not send ({})", x.exec_id,
                                         x.client_order_id);
    run_log().warn("live: reconciliation: {}", text);
    state_.record_event(now, "reconciliation", text);
    return;
  }
  Tracked& t = it->second;
  const OrderEvent& o = t.order;
  const bool is_fill = x.kind == ExecutionKind::PartialFill || x.kind == ExecutionKind::Fill;
  double quantity = x.last_quantity, price = x.last_price;
  if (is_fill && x.cumulative_quantity > 0) {
    // The venue's cumulative quantity is the truth: a report whose total the
    // engine has already applied is a duplicate under another exec id (a
    // fill first made good from an order status), and a total ahead of this
    // report's own quantity means an earlier report was lost.
    const double missing = x.cumulative_quantity - t.filled;
    if (missing <= kQuantityEpsilon) {
      ++duplicates_;
      return;
    }
    if (std::abs(missing - quantity) > kQuantityEpsilon && std::isfinite(x.average_price)) {
      price = (x.average_price * x.cumulative_quantity - t.notional) / missing;
      quantity = missing;
    }
  }
  if (!replaying_) state_.record_execution(x, point);
  const Timestamp ts = x.transact_time ? x.transact_time : now;
  const auto update = [&](OrderStatus status, std::string reason = {}) {
    if (t.adopted) return;  // not one of the strategies' orders
    bus_.publish(OrderUpdateEvent{ts, o.order_id, o.signal_id, o.strategy, o.symbol, status, t.filled,
                                  o.quantity - t.filled, std::move(reason), o.side, o.quantity});
  };
  bool finished = x.kind == ExecutionKind::Fill || x.kind == ExecutionKind::Cancelled ||
                  x.kind == ExecutionKind::Expired || x.kind == ExecutionKind::Rejected;
  switch (x.kind) {
    case ExecutionKind::New:
      update(OrderStatus::Accepted);
      break;
    case ExecutionKind::PartialFill:
    case ExecutionKind::Fill:
      t.filled += quantity;
      t.notional += quantity * price;
      // A fill report whose leaves are 0 ends the order even when a cumulative
      // short of the order's quantity says the rest was cancelled or expired.
      finished = x.kind == ExecutionKind::Fill || t.filled >= o.quantity - kQuantityEpsilon;
      state_.record_fill(x.exec_id, x.client_order_id, ts, to_string(o.side), quantity, price, x.commission);
      bus_.publish(FillEvent{ts, t.adopted ? 0 : o.order_id, o.strategy, o.symbol, o.side, quantity, price,
                             x.commission, o.signal_id});
      update(finished ? OrderStatus::Filled : OrderStatus::PartiallyFilled);
      break;
    case ExecutionKind::Cancelled:
      update(OrderStatus::Cancelled, !t.cancel_reason.empty() ? t.cancel_reason
                                     : x.text.empty()         ? "cancelled"
                                                              : x.text);
      break;
    case ExecutionKind::Expired:
      update(OrderStatus::Expired, x.text.empty() ? "expired" : x.text);
      break;
    case ExecutionKind::Rejected:
      if (!t.adopted)
        bus_.publish(OrderRejectedEvent{ts, o.order_id, o.signal_id, o.strategy, o.symbol,
                                        x.text.empty() ? "rejected by the broker" : x.text});
      break;
    case ExecutionKind::Replaced:
      // The order's size and prices are the venue's now.
      t.modifying = false;
      t.order.quantity = x.order_quantity;
      if (std::isfinite(x.limit_price)) t.order.spec.limit_price = x.limit_price;
      if (std::isfinite(x.stop_price)) t.order.spec.stop_price = x.stop_price;
      update(t.filled > 0 ? OrderStatus::PartiallyFilled : OrderStatus::Accepted, "replaced");
      break;
    case ExecutionKind::CancelRejected:
    case ExecutionKind::Status:
      break;
  }
  const OrderEvent order = o;
  const bool ours = !t.adopted;
  if (finished) orders_.erase(it);
  if (is_fill && ours) after_fill(order, quantity, finished, ts);
}

}  // namespace qtrader::live
