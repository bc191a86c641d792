// Which signal opened a trade, with what tag, and why it was closed: read
// from the order and signal events, so trades.csv needs no join through
// events.sqlite. One entry per order and per tagged signal (not per bar).
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "qtrader/event_bus.hpp"
#include "qtrader/events.hpp"

namespace qtrader {

class TradeAttribution {
 public:
  explicit TradeAttribution(EventBus& bus);

  std::uint64_t signal_of(OrderId order) const;   // 0 when not from a signal
  std::string_view tag_of(OrderId order) const;   // its signal's tag; "" when none
  // Why `exit_order` closed a position: "signal" (a market or limit order a
  // signal asked for), "stop" (a signal's own stop or stop-limit),
  // "trailing_stop", "stop_loss" / "take_profit" (a bracket's exits),
  // "end_of_data" (execution closed it at the symbol's last bar), "roll"
  // and "margin_call" (execution's futures orders, docs/futures.md).
  std::string_view exit_reason(OrderId exit_order) const;

  // Checkpoints: every order's and tagged signal's facts, by id, and back.
  std::string snapshot() const;
  void restore(std::string_view json);

 private:
  struct OrderFacts {
    std::uint64_t signal_id = 0;
    OrderType type = OrderType::Market;
    bool bracket_exit = false;
    bool end_of_data = false;  // data.stale_policy: close
    OrderEvent::Origin origin = OrderEvent::Origin::Strategy;  // futures: a roll leg, a margin-call liquidation
  };
  std::unordered_map<OrderId, OrderFacts> orders_;
  std::unordered_map<std::uint64_t, std::string> tags_;  // signals with a tag only
};

}  // namespace qtrader
