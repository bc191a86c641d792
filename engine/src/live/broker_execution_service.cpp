#include "live/broker_execution_service.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "qtrader/run_log.hpp"

namespace qtrader::live {

namespace {

// What a Broker can be asked to work: the venue's order types (FIX 4.4
// OrdType 1-4) and time-in-force. The rest are the simulator's own.
std::string unsupported(const OrderEvent& o) {
  const OrderSpec& s = o.spec;
  if (s.type == OrderType::TrailingStop || s.type == OrderType::MarketOnClose)
    return fmt::format("{} orders are not sent to a broker", to_string(s.type));
  if (s.tif == TimeInForce::GTD) return "GTD orders are not sent to a broker";
  if (std::isfinite(o.stop_loss) || std::isfinite(o.take_profit))
    return "brackets (stop_loss, take_profit) are not sent to a broker";
  return {};
}

}  // namespace

BrokerExecutionService::BrokerExecutionService(EventBus& bus, Broker& broker, LiveState& state,
                                               std::string session_key, const SymbolTable& symbols)
    : bus_(bus), broker_(broker), state_(state), key_(std::move(session_key)), symbols_(symbols) {
  bus.subscribe<OrderEvent>([this](const OrderEvent& e) { on_order(e); });
  bus.subscribe<CancelRequestEvent>([this](const CancelRequestEvent& e) { on_cancel(e); });
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
  if (const std::string why = unsupported(e); !why.empty()) {
    bus_.publish(OrderRejectedEvent{e.ts, e.order_id, e.signal_id, e.strategy, e.symbol, why});
    return;
  }
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
  o.tif = e.spec.tif;
  o.created_at = e.ts;
  // On disk before it leaves: a crash after the send finds the order on
  // record, and a restart never sends that id again.
  state_.record_order({id, e.order_id, o.symbol, to_string(e.side), e.quantity, "new", 0}, e.ts);
  if (state_.has_send(id)) {
    // Sent before a restart: its answers come from the record, never a second send.
    if (replaying_) replay_point("submit:" + id, e.ts);
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
  if (replaying_) {
    replay_point("cancel:" + id, e.ts);
    return;
  }
  broker_.cancel(id);
  pump_at(e.ts, "cancel:" + id);
}

void BrokerExecutionService::pump(Timestamp now, Timestamp after) { pump_at(now, "after:" + std::to_string(after)); }

void BrokerExecutionService::pump_at(Timestamp now, const std::string& point) {
  if (replaying_) return;
  for (const BrokerExecution& x : broker_.poll()) apply(x, now, point);
}

void BrokerExecutionService::apply(const BrokerExecution& x, Timestamp now, const std::string& point) {
  if (x.kind == ExecutionKind::Status) return;  // an answer to a state request
  if (!x.exec_id.empty() && !seen_.insert(x.exec_id).second) {
    ++duplicates_;
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
  if (!replaying_) state_.record_execution(x, point);
  Tracked& t = it->second;
  const OrderEvent& o = t.order;
  const Timestamp ts = x.transact_time ? x.transact_time : now;
  const auto update = [&](OrderStatus status, std::string reason = {}) {
    bus_.publish(OrderUpdateEvent{ts, o.order_id, o.signal_id, o.strategy, o.symbol, status, t.filled,
                                  o.quantity - t.filled, std::move(reason), o.side, o.quantity});
  };
  switch (x.kind) {
    case ExecutionKind::New:
      update(OrderStatus::Accepted);
      break;
    case ExecutionKind::PartialFill:
    case ExecutionKind::Fill:
      t.filled += x.last_quantity;
      state_.record_fill(x.exec_id, x.client_order_id, ts, to_string(o.side), x.last_quantity, x.last_price,
                         x.commission);
      bus_.publish(FillEvent{ts, o.order_id, o.strategy, o.symbol, o.side, x.last_quantity, x.last_price,
                             x.commission, o.signal_id});
      update(x.kind == ExecutionKind::Fill ? OrderStatus::Filled : OrderStatus::PartiallyFilled);
      break;
    case ExecutionKind::Cancelled:
      update(OrderStatus::Cancelled, x.text.empty() ? "cancelled" : x.text);
      break;
    case ExecutionKind::Expired:
      update(OrderStatus::Expired, x.text.empty() ? "expired" : x.text);
      break;
    case ExecutionKind::Rejected:
      bus_.publish(OrderRejectedEvent{ts, o.order_id, o.signal_id, o.strategy, o.symbol,
                                      x.text.empty() ? "rejected by the broker" : x.text});
      break;
    case ExecutionKind::Status:
      break;
  }
  if (x.kind != ExecutionKind::New && x.kind != ExecutionKind::PartialFill) orders_.erase(it);
}

}  // namespace qtrader::live
