#include "live/broker_reconciliation.hpp"

#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "qtrader/run_log.hpp"

namespace qtrader::live {

std::vector<std::string> reconcile_with_broker(Broker& broker, BrokerExecutionService& adapter,
                                               const Portfolio& portfolio, const SymbolTable& symbols,
                                               LiveState& state, Timestamp ts, bool resumed, bool halt) {
  const auto timeout = std::chrono::seconds(5);
  if (!resumed && !broker.connected()) {
    run_log().warn("live: the {} broker is not connected: its state is not compared at the start", broker.name());
    return {};
  }
  const std::vector<std::string> believed = adapter.working();
  std::vector<BrokerExecution> statuses;
  if (!believed.empty()) statuses = broker.order_status(believed, timeout);
  adapter.pump(ts, ts);  // what the broker resent since the logon: the statuses' totals include it
  std::set<std::string> unknown_at_broker;
  for (const auto& st : statuses) {
    if (st.state == BrokerOrderState::Unknown) {
      unknown_at_broker.insert(st.client_order_id);
      continue;
    }
    const std::string done = adapter.recover(st, ts, ts);
    if (done.empty()) continue;
    const std::string text = fmt::format("order {}: {}", st.client_order_id, done);
    run_log().warn("live: recovery: {}", text);
    state.record_event(ts, "recovery", text);
  }
  const BrokerState b = broker.request_state(timeout);
  adapter.apply_reports(b.reports_before, ts, ts);

  struct Mismatch {
    std::string text;
    std::function<std::string()> adopt;  // takes the broker's figure; says what it did
  };
  std::vector<Mismatch> found;
  std::set<std::string> open;
  for (const auto& x : b.open_orders) open.insert(x.client_order_id);
  const std::vector<std::string> mine = adapter.working();
  const std::set<std::string> engine(mine.begin(), mine.end());
  for (const auto& x : b.open_orders)
    if (!engine.count(x.client_order_id))
      found.push_back({fmt::format("working order {} ({} {} {}) at the broker, not in the engine",
                                   x.client_order_id, to_string(x.side), x.leaves_quantity, x.symbol),
                       [&adapter, x, ts] {
                         adapter.adopt(x, ts, ts);
                         return fmt::format("adopted order {}: its fills reach the portfolio", x.client_order_id);
                       }});
  for (const auto& id : mine)
    if (!open.count(id))
      found.push_back({fmt::format("working order {} in the engine, {} the broker", id,
                                   unknown_at_broker.count(id) ? "unknown to" : "not working at"),
                       [&adapter, id, ts] {
                         adapter.drop(id, "not working at the broker (reconciliation)", ts, ts);
                         return fmt::format("order {} cancelled in the engine", id);
                       }});
  std::map<std::string, double> held, held_average;
  for (const auto& p : portfolio.open_positions()) {
    held[symbols.name(p.symbol)] = p.quantity;
    held_average[symbols.name(p.symbol)] = p.avg_price;
  }
  std::map<std::string, const BrokerPosition*> at_broker;
  for (const auto& p : b.positions)
    if (p.quantity != 0) at_broker[p.symbol] = &p;
  std::set<std::string> traded;
  for (const auto& [symbol, q] : held) traded.insert(symbol);
  for (const auto& [symbol, p] : at_broker) traded.insert(symbol);
  for (const auto& symbol : traded) {
    const double theirs = at_broker.count(symbol) ? at_broker[symbol]->quantity : 0;
    const double ours = held.count(symbol) ? held[symbol] : 0;
    if (theirs == ours) continue;
    const SymbolId id = symbol.empty() ? kNoSymbol : symbols.find(symbol);
    // The missing trade's price, as the broker's average implies it: what
    // makes the engine's cost of the position the broker's, so the cash moves
    // by what the trade cost. The last price when the broker gives no average.
    double price = kNaN;
    if (at_broker.count(symbol) && at_broker[symbol]->average_price > 0) {
      const double ours_cost = ours != 0 && std::isfinite(held_average[symbol]) ? ours * held_average[symbol] : 0;
      price = (theirs * at_broker[symbol]->average_price - ours_cost) / (theirs - ours);
    }
    if (!(price > 0 && std::isfinite(price)) && id != kNoSymbol) price = portfolio.last_price(id);
    found.push_back({fmt::format("{}: position {} at the broker, {} in the engine", symbol, theirs, ours),
                     [&adapter, symbol, theirs, ours, price, ts] {
                       adapter.correct_position(symbol, theirs - ours, price, ts, ts);
                       return fmt::format("{}: {} {} at {} booked to match the broker", symbol,
                                          theirs > ours ? "bought" : "sold", std::abs(theirs - ours), price);
                     }});
  }
  if (found.empty()) {
    if (resumed)
      state.record_event(ts, "reconciliation",
                         fmt::format("the {} broker agrees: {} positions, {} working orders", broker.name(),
                                     at_broker.size(), open.size()));
    return {};
  }
  std::vector<std::string> texts;
  for (const auto& m : found) {
    texts.push_back(m.text);
    run_log().warn("live: reconciliation: {}", m.text);
    state.record_event(ts, "reconciliation", m.text);
    if (halt) continue;
    const std::string done = m.adopt();
    run_log().warn("live: correction: {}", done);
    state.record_event(ts, "correction", done);
  }
  return halt ? texts : std::vector<std::string>{};
}

}  // namespace qtrader::live
