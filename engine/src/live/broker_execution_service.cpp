#include "live/broker_execution_service.hpp"

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
  if (state_.has_send(id)) return;
  state_.record_send(id, e.ts);
  state_.checkpoint();
  broker_.submit(o);
  pump(e.ts);  // a broker that answers at once (the paper broker) is answered in order
}

void BrokerExecutionService::on_cancel(const CancelRequestEvent& e) {
  const std::string id = client_id(e.order_id);
  const auto it = orders_.find(id);
  if (it == orders_.end()) {
    bus_.publish(OrderRejectedEvent{e.ts, e.order_id, 0, e.strategy, kNoSymbol, "cancel: no such working order"});
    return;
  }
  broker_.cancel(id);
  pump(e.ts);
}

void BrokerExecutionService::pump(Timestamp now) {
  for (const BrokerExecution& x : broker_.poll()) apply(x, now);
}

void BrokerExecutionService::apply(const BrokerExecution& x, Timestamp now) {
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
