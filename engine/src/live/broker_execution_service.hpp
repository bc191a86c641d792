// The engine's execution when orders go to a Broker (docs/live.md "Brokers"):
// in the place of the simulated ExecutionService, it takes the OrderEvent
// and CancelRequestEvent commands, persists each order before it is sent
// (live_state.sqlite) and sends it with its client order id
// `<session>-<order_id>`, and turns each BrokerExecution into the facts the
// strategy, portfolio and results services already read: OrderUpdateEvent
// (accepted, partially filled, filled, cancelled, expired), FillEvent,
// OrderRejectedEvent. Reports are deduplicated by exec_id, so a venue that
// resends after a reconnect changes nothing.
//
// Brackets are the engine's own one-cancels-other (docs/live.md "Brackets"):
// when an entry with stop_loss / take_profit fills (partly or fully), its
// exits go to the broker as ordinary stop and limit orders, numbered as
// execution numbers its children (2^40 + n, so client order ids are
// deterministic); an exit's fill cancels or shrinks its sibling, and a
// strategy's own fill shrinks or cancels its exits as the position needs,
// as the backtest's execution does (bracket_exits.cpp).
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "live/broker.hpp"
#include "live/live_state.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/portfolio_view.hpp"
#include "qtrader/symbol_table.hpp"

namespace qtrader::live {

class BrokerExecutionService {
 public:
  // `portfolio`: the strategies' positions, which a bracket's exits follow.
  BrokerExecutionService(EventBus& bus, Broker& broker, LiveState& state, std::string session_key,
                         const SymbolTable& symbols, const PortfolioView& portfolio);

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
  // A bracket exit the replay made that was not on record (the process died
  // after its entry's fill and an earlier exit were committed, before it):
  // the engine's own order, not a strategy's changed mind, so it is sent once
  // the broker is started, before the broker is asked where orders stand.
  void send_deferred();
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
    std::string cancel_reason;  // why the engine asked the broker to cancel it ("": the venue's text)
    int replaces = 0;           // replaces asked: each one's answers are kept at "replace:<id>:<n>"
    bool modifying = false;     // a strategy's modify awaits the broker's answer
  };
  void on_order(const OrderEvent&);
  void on_cancel(const CancelRequestEvent&);
  void on_modify(const ModifyOrderEvent&);
  void apply(const BrokerExecution&, Timestamp now, const std::string& point);
  void apply_own(const BrokerExecution&, Timestamp now, const std::string& point);  // corrections, adoptions
  void pump_at(Timestamp now, const std::string& point);
  void replay_point(const std::string& point, Timestamp now);
  std::string client_id(OrderId id) const { return key_ + "-" + std::to_string(id); }
  // Brackets (bracket_exits.cpp): what a fill of `order` does to exits.
  void after_fill(const OrderEvent& order, double quantity, bool complete, Timestamp ts);
  void place_or_grow_exits(const OrderEvent& entry, double quantity, Timestamp ts);
  void follow_position(SymbolId, StrategyIndex, Timestamp ts);
  // The engine's own cancel and replace of an order it tracks.
  void request_cancel(const std::string& id, std::string reason, Timestamp ts);
  void request_quantity(const std::string& id, double quantity, Timestamp ts);
  void request_replace(const std::string& id, const BrokerReplace& change, Timestamp ts);

  EventBus& bus_;
  Broker& broker_;
  LiveState& state_;
  std::string key_;
  const SymbolTable& symbols_;
  const PortfolioView& portfolio_;
  OrderId next_child_id_;                            // execution's numbering of bracket exits
  std::map<OrderId, std::pair<OrderId, OrderId>> exits_;  // entry -> its stop and take-profit exits (0: none)
  std::unordered_map<OrderId, OrderId> peer_of_;          // a bracket exit -> its one-cancels-other sibling
  std::unordered_map<std::string, Tracked> orders_;  // by client order id
  std::set<std::string> seen_;                       // exec ids applied
  std::uint64_t duplicates_ = 0, unknown_ = 0, unsent_ = 0;
  bool replaying_ = false;
  std::multimap<std::string, BrokerExecution> recorded_;  // by point, in the order applied
  std::vector<BrokerOrder> deferred_;                     // bracket exits to send after the replay
};

}  // namespace qtrader::live
