#include "live/order_recorder.hpp"

namespace qtrader::live {

OrderRecorder::OrderRecorder(EventBus& bus, LiveState& state, std::string session_key, const SymbolTable& symbols,
                             bool records_sends)
    : state_(state), key_(std::move(session_key)), symbols_(symbols), records_sends_(records_sends) {
  bus.subscribe<OrderEvent>([this](const OrderEvent& e) { on_order(e); });
  bus.subscribe<OrderUpdateEvent>([this](const OrderUpdateEvent& e) { on_update(e); });
  bus.subscribe<FillEvent>([this](const FillEvent& e) { on_fill(e); });
}

// The bus is depth-first: execution's acceptance (and an order rejected at
// once) reaches this recorder before the order itself does.
void OrderRecorder::on_order(const OrderEvent& e) {
  ++orders_;
  const std::string id = client_order_id(e.order_id);
  // A journal replay after a restart meets orders it sent before the crash:
  // they are on record and never sent again.
  const bool known = !records_sends_ || state_.has_send(id);
  StoredOrder o{id, e.order_id, symbols_.name(e.symbol), to_string(e.side), e.quantity, "new", 0};
  state_.record_order(o, e.ts);
  if (!known) {
    state_.record_send(id, e.ts);
    ++sends_;
  }
}

void OrderRecorder::on_update(const OrderUpdateEvent& e) {
  const std::string id = client_order_id(e.order_id);
  if (!state_.has_order(id))  // its OrderEvent is still being published
    state_.record_order({id, e.order_id, symbols_.name(e.symbol), to_string(e.side), e.quantity, "new", 0}, e.ts);
  state_.update_order(id, to_string(e.status), e.filled_quantity);
  if (e.status == OrderStatus::Accepted || e.status == OrderStatus::PartiallyFilled)
    working_[e.order_id] = e.strategy;
  else
    working_.erase(e.order_id);
}

void OrderRecorder::on_fill(const FillEvent& e) {
  ++fills_;
  const std::string id = client_order_id(e.order_id);
  const int n = ++fill_count_[e.order_id];
  state_.record_fill(id + "-" + std::to_string(n), id, e.ts, to_string(e.side), e.quantity, e.price,
                     e.commission);
}

}  // namespace qtrader::live
