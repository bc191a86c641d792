// An accepted order and its execution state while it works.
#pragma once

#include "execution/commission.hpp"
#include "qtrader/events.hpp"

namespace qtrader {

// Ids of orders execution creates itself (bracket children) start here, far
// above the risk service's counter and still exact in a Lua number (< 2^53).
inline constexpr OrderId kChildOrderIdBase = OrderId{1} << 40;

// How OrderBook indexes a working order now (order_book.hpp), so that it can
// take it out of the same places.
struct BookKeys {
  enum class Price : std::uint8_t { None, BuyLimit, SellLimit, BuyStop, SellStop };
  Price price_side = Price::None;
  double price = kNaN;
  bool every_bar = false;  // market, market-on-close, trailing stop, IOC, FOK, DAY before its first bar
  bool day = false;        // a DAY order
  bool has_due = false;    // due on the first bar after `due` (GTD expiry, DAY session end)
  Timestamp due = 0;
};

struct WorkingOrder {
  OrderEvent order;          // as accepted; quantity grows for a bracket child as its entry fills
  double filled = 0.0;       // quantity filled so far
  OrderCommission commission;  // charged so far (per-order minimums span partial fills)
  bool triggered = false;    // stop-limit: the stop was reached, it now works as a limit
  double trail_ref = kNaN;   // trailing stop: the best close seen (highest for sells)
  double trail_stop = kNaN;  // trailing stop: the current trigger
  Timestamp day_end = -1;    // DAY: when its session ends (ExchangeClock::day_order_end); -1 until its first bar
  OrderId peer = 0;          // bracket child: its one-cancels-other sibling
  OrderId stop_child = 0;    // bracket entry: its children, once placed
  OrderId profit_child = 0;
  Timestamp skip_until = 0;  // bracket child: lost the same-bar race to its peer on this bar
  bool done = false;         // filled, cancelled, expired or rejected; removed after the bar
  std::uint64_t seq = 0;     // arrival number: orders are matched in this order
  BookKeys keys;             // where OrderBook indexes it

  double remaining() const noexcept { return order.quantity - filled; }
  bool is_child() const noexcept { return order.parent_id != 0; }
  bool is_stop_like() const noexcept {
    const OrderType t = order.spec.type;
    return t == OrderType::Stop || t == OrderType::StopLimit || t == OrderType::TrailingStop;
  }
};

}  // namespace qtrader
