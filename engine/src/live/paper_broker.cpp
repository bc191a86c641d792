#include "live/paper_broker.hpp"

namespace qtrader::live {

PaperBroker::PaperBroker(const ExecutionConfig& execution, const PortfolioConfig& rules, double initial_cash,
                         const SymbolTable& symbols, std::vector<ExchangeClock> clocks)
    : symbols_(symbols), portfolio_(bus_, initial_cash, symbols.size(), rules),
      execution_(bus_, execution, rules, portfolio_, symbols.size(), nullptr, std::move(clocks)) {
  // The book's facts become the venue's reports.
  bus_.subscribe<OrderUpdateEvent>([this](const OrderUpdateEvent& e) {
    auto& w = orders_.at(e.order_id);
    switch (e.status) {
      case OrderStatus::Accepted: report(w, ExecutionKind::New, e.ts); break;
      case OrderStatus::Cancelled: report(w, ExecutionKind::Cancelled, e.ts, 0, kNaN, 0, e.reason); break;
      case OrderStatus::Expired: report(w, ExecutionKind::Expired, e.ts, 0, kNaN, 0, e.reason); break;
      default: break;  // fills are reported from their FillEvent
    }
  });
  bus_.subscribe<FillEvent>([this](const FillEvent& e) {
    auto& w = orders_.at(e.order_id);
    w.cumulative += e.quantity;
    const bool last = w.cumulative >= w.order.quantity;
    report(w, last ? ExecutionKind::Fill : ExecutionKind::PartialFill, e.ts, e.quantity, e.price, e.commission);
  });
  bus_.subscribe<OrderRejectedEvent>([this](const OrderRejectedEvent& e) {
    if (auto it = orders_.find(e.order_id); it != orders_.end())
      report(it->second, ExecutionKind::Rejected, e.ts, 0, kNaN, 0, e.reason);
  });
}

void PaperBroker::report(Working& w, ExecutionKind kind, Timestamp ts, double last_qty, double last_price,
                         double commission, std::string text) {
  BrokerExecution x;
  x.client_order_id = w.client_order_id;
  x.broker_order_id = "P" + std::to_string(by_client_.at(w.client_order_id));
  x.exec_id = w.client_order_id + "-" + std::to_string(++w.reports);
  x.kind = kind;
  x.symbol = w.order.symbol;
  x.side = w.order.side;
  x.order_quantity = w.order.quantity;
  x.last_quantity = last_qty;
  x.last_price = last_price;
  x.cumulative_quantity = w.cumulative;
  x.leaves_quantity = kind == ExecutionKind::New || kind == ExecutionKind::PartialFill
                          ? w.order.quantity - w.cumulative
                          : 0;
  x.commission = commission;
  x.text = std::move(text);
  x.transact_time = ts;
  outbox_.push_back(std::move(x));
}

void PaperBroker::submit(const BrokerOrder& o) {
  const SymbolId s = symbols_.find(o.symbol);
  const OrderId id = next_id_++;
  by_client_[o.client_order_id] = id;
  orders_[id] = Working{o.client_order_id, o};
  if (s == kNoSymbol) {
    report(orders_[id], ExecutionKind::Rejected, o.created_at, 0, kNaN, 0, "unknown symbol " + o.symbol);
    return;
  }
  OrderSpec spec;
  spec.type = o.type;
  spec.limit_price = o.limit_price;
  spec.stop_price = o.stop_price;
  spec.tif = o.tif;
  bus_.publish(OrderEvent{o.created_at, id, 0, 0, s, o.side, o.quantity, spec});
}

void PaperBroker::cancel(const std::string& client_order_id) {
  const auto it = by_client_.find(client_order_id);
  if (it == by_client_.end()) return;
  bus_.publish(CancelRequestEvent{now_, it->second, 0});
}

void PaperBroker::on_bar(const Bar& bar, std::uint8_t flags) {
  now_ = bar.ts;
  bus_.publish(BarEvent{bar, flags});
}

std::vector<BrokerExecution> PaperBroker::poll() { return std::exchange(outbox_, {}); }

BrokerState PaperBroker::request_state(std::chrono::milliseconds) {
  BrokerState state;
  for (const auto& [id, w] : orders_)
    if (execution_.find(id)) {
      BrokerExecution x;
      x.client_order_id = w.client_order_id;
      x.kind = ExecutionKind::Status;
      x.symbol = w.order.symbol;
      x.side = w.order.side;
      x.order_quantity = w.order.quantity;
      x.cumulative_quantity = w.cumulative;
      x.leaves_quantity = w.order.quantity - w.cumulative;
      state.open_orders.push_back(std::move(x));
    }
  for (const auto& p : portfolio_.open_positions())
    state.positions.push_back({symbols_.name(p.symbol), p.quantity, p.avg_price});
  state.cash = portfolio_.cash();
  return state;
}

}  // namespace qtrader::live
