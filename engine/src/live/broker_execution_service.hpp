// The engine's execution when orders go to a Broker (docs/live.md "Brokers"):
// in the place of the simulated ExecutionService, it takes the OrderEvent
// and CancelRequestEvent commands, persists each order before it is sent
// (live_state.sqlite) and sends it with its client order id
// `<session>-<order_id>`, and turns each BrokerExecution into the facts the
// strategy, portfolio and results services already read: OrderUpdateEvent
// (accepted, partially filled, filled, cancelled, expired), FillEvent,
// OrderRejectedEvent. Reports are deduplicated by exec_id, so a venue that
// resends after a reconnect changes nothing.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "live/broker.hpp"
#include "live/live_state.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/symbol_table.hpp"

namespace qtrader::live {

class BrokerExecutionService {
 public:
  BrokerExecutionService(EventBus& bus, Broker& broker, LiveState& state, std::string session_key,
                         const SymbolTable& symbols);

  // Hands the broker's reports since the last call to the bus; `now` stamps
  // the facts of reports that carry no time.
  void pump(Timestamp now);
  std::uint64_t duplicates() const noexcept { return duplicates_; }
  std::uint64_t unknown() const noexcept { return unknown_; }

 private:
  struct Tracked {
    OrderEvent order;
    double filled = 0;
  };
  void on_order(const OrderEvent&);
  void on_cancel(const CancelRequestEvent&);
  void apply(const BrokerExecution&, Timestamp now);
  std::string client_id(OrderId id) const { return key_ + "-" + std::to_string(id); }

  EventBus& bus_;
  Broker& broker_;
  LiveState& state_;
  std::string key_;
  const SymbolTable& symbols_;
  std::unordered_map<std::string, Tracked> orders_;  // by client order id
  std::set<std::string> seen_;                       // exec ids applied
  std::uint64_t duplicates_ = 0, unknown_ = 0;
};

}  // namespace qtrader::live
