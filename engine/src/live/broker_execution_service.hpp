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
#include <vector>

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
  // the facts of reports that carry no time. `after`: the last timestamp run
  // (the point they are kept under: "after:<ts>").
  void pump(Timestamp now, Timestamp after);

  // A restart (docs/live.md "State that survives a crash"): while the journal
  // replays, nothing goes to the broker; each report is applied again from
  // live_state.sqlite at the point it was first applied (replay_after before
  // each journal timestamp and once at its end; a submit's or cancel's own
  // reports in that call). An order not on record is not sent: refused.
  void begin_replay();
  void replay_after(Timestamp ts);
  void end_replay();
  std::uint64_t unsent_in_replay() const noexcept { return unsent_; }
  // The client order ids working now, as this engine knows them.
  std::vector<std::string> working() const;
  std::uint64_t duplicates() const noexcept { return duplicates_; }

  // Reconciliation at a restart (docs/live.md "Reconciliation"). Each is kept
  // in the executions table at "after:<after>", so a later restart replays it.
  // Reports the broker gave with an answer to request_state, before comparing.
  void apply_reports(const std::vector<BrokerExecution>& reports, Timestamp now, Timestamp after);
  // An order status (Broker::order_status) of an order this engine believes
  // working: what its totals say the engine missed (a fill, a cancel, an
  // expiry) is applied; the return says what, "" when nothing was.
  std::string recover(const BrokerExecution& status, Timestamp now, Timestamp after);
  // adopt_broker: a working order at the broker this session did not send is
  // tracked from now on (its fills reach the portfolio, booked to the first
  // strategy, order id 0); an order of the engine the broker does not have is
  // cancelled; a position is corrected by a fill of the difference.
  void adopt(const BrokerExecution& open_order, Timestamp now, Timestamp after);
  void drop(const std::string& client_order_id, const std::string& reason, Timestamp now, Timestamp after);
  void correct_position(const std::string& symbol, double difference, double price, Timestamp now,
                        Timestamp after);
  std::uint64_t unknown() const noexcept { return unknown_; }

 private:
  struct Tracked {
    OrderEvent order;
    double filled = 0;
    double notional = 0;   // sum of quantity × price of the fills applied
    bool adopted = false;  // a broker's order taken at a reconciliation: no OrderUpdateEvents
  };
  void on_order(const OrderEvent&);
  void on_cancel(const CancelRequestEvent&);
  void apply(const BrokerExecution&, Timestamp now, const std::string& point);
  void apply_own(const BrokerExecution&, Timestamp now, const std::string& point);  // corrections, adoptions
  void pump_at(Timestamp now, const std::string& point);
  void replay_point(const std::string& point, Timestamp now);
  std::string client_id(OrderId id) const { return key_ + "-" + std::to_string(id); }

  EventBus& bus_;
  Broker& broker_;
  LiveState& state_;
  std::string key_;
  const SymbolTable& symbols_;
  std::unordered_map<std::string, Tracked> orders_;  // by client order id
  std::set<std::string> seen_;                       // exec ids applied
  std::uint64_t duplicates_ = 0, unknown_ = 0, unsent_ = 0;
  bool replaying_ = false;
  std::multimap<std::string, BrokerExecution> recorded_;  // by point, in the order applied
};

}  // namespace qtrader::live
