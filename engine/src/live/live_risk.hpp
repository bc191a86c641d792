// Live risk controls (docs/live.md "Risk controls"), the `live.risk:` section:
// a last gate on each sized order (max orders per minute, max position and
// max notional per symbol) and the kill switch (max daily loss: working
// orders cancelled, new orders refused for the rest of the session). Times
// are engine times, so a replay at any speed trips the same limits at the
// same orders.
#pragma once

#include <deque>
#include <functional>
#include <string>

#include "config/live_config.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/portfolio_view.hpp"
#include "qtrader/symbol_table.hpp"
#include "qtrader/time_zone.hpp"

namespace qtrader::live {

class LiveRiskGuard {
 public:
  // `on_event(ts, type, text)`: a refusal (type risk) or the kill switch (kill_switch).
  // `on_kill(ts)`: cancel every working order.
  LiveRiskGuard(EventBus& bus, const LiveRiskLimits& limits, const PortfolioView& portfolio,
                const SymbolTable& symbols, TimeZone zone,
                std::function<void(Timestamp, const std::string&, const std::string&)> on_event,
                std::function<void(Timestamp)> on_kill);

  // RiskService::OrderGate: "" lets the order through, else why not.
  std::string check(const OrderEvent& order);
  bool killed() const noexcept { return killed_; }

 private:
  void on_state(const PortfolioStateEvent&);

  LiveRiskLimits limits_;
  const PortfolioView& portfolio_;
  const SymbolTable& symbols_;
  TimeZone zone_;
  std::function<void(Timestamp, const std::string&, const std::string&)> on_event_;
  std::function<void(Timestamp)> on_kill_;
  std::deque<Timestamp> recent_;  // the times of the orders let through in the last minute
  std::int64_t day_ = -1;         // the exchange day of day_start_equity_
  double day_start_equity_ = 0;
  double last_equity_ = 0;
  bool killed_ = false;
};

}  // namespace qtrader::live
