// Writes a live session's orders and fills to live_state.sqlite as the bus
// carries them, and keeps the working orders (what a stop or the kill
// switch cancels). Subscribed after the run's services, so it sees each
// order after execution has decided on it. Client order ids are
// `<session>-<order_id>`: the risk service numbers orders 1, 2, 3… in the
// order of the run, so a session replayed from its journal gives every
// order the id it had.
#pragma once

#include <map>
#include <string>
#include <unordered_map>

#include "live/live_state.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/symbol_table.hpp"

namespace qtrader::live {

class OrderRecorder {
 public:
  // `records_sends`: the in-process paper broker's orders are sent when
  // published; a broker adapter records its own sends.
  OrderRecorder(EventBus& bus, LiveState& state, std::string session_key, const SymbolTable& symbols,
                bool records_sends = true);

  std::string client_order_id(OrderId id) const { return key_ + "-" + std::to_string(id); }
  // OrderId -> StrategyIndex of the orders working now.
  const std::map<OrderId, StrategyIndex>& working() const noexcept { return working_; }
  std::uint64_t orders() const noexcept { return orders_; }
  std::uint64_t fills() const noexcept { return fills_; }
  std::uint64_t sends() const noexcept { return sends_; }

 private:
  void on_order(const OrderEvent&);
  void on_update(const OrderUpdateEvent&);
  void on_fill(const FillEvent&);

  LiveState& state_;
  std::string key_;
  const SymbolTable& symbols_;
  std::map<OrderId, StrategyIndex> working_;
  std::unordered_map<OrderId, int> fill_count_;  // the n of each fill's exec id
  bool records_sends_;
  std::uint64_t orders_ = 0, fills_ = 0, sends_ = 0;
};

}  // namespace qtrader::live
