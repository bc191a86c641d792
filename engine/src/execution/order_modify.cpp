// ctx:modify_order in the simulated execution (docs/execution.md "Modifying
// an order"): a working order of the strategy takes a new total quantity,
// limit price or stop price. A modified order goes to the back of the
// arrival order, as a venue's queue puts a changed order behind the ones
// already waiting, and works from the next bar: it is placed again under its
// own id, with what it has filled and paid. Refusals are OrderRejectedEvents
// and leave the order as it was.
#include <cmath>

#include <fmt/format.h>

#include "execution/execution_service.hpp"
#include "execution/order_checks.hpp"

namespace qtrader {

namespace {

bool given(double x) { return !std::isnan(x); }

}  // namespace

void ExecutionService::modify(const ModifyOrderEvent& c) {
  now_ = std::max(now_, c.ts);
  const auto refuse_change = [&](SymbolId symbol, std::uint64_t signal, const std::string& why) {
    emit(OrderRejectedEvent{c.ts, c.order_id, signal, c.strategy, symbol,
                            fmt::format("modify refused: {}", why)});
  };
  const auto at = book_.locate(c.order_id);
  if (!at || list(at->symbol)[at->slot].order.strategy != c.strategy) {
    refuse_change(kNoSymbol, 0, fmt::format("order {} is not a working order of this strategy", c.order_id));
    return;
  }
  WorkingOrder& w = list(at->symbol)[at->slot];
  std::string why = check_order_change(w.order, w.filled, c);
  if (why.empty() && given(c.stop_price) && w.order.spec.type == OrderType::StopLimit && w.triggered)
    why = "the stop-limit has triggered: its stop price is spent";
  if (!why.empty()) {
    refuse_change(w.order.symbol, w.order.signal_id, why);
    return;
  }
  WorkingOrder changed = w;
  if (given(c.quantity)) changed.order.quantity = c.quantity;
  if (given(c.limit_price)) changed.order.spec.limit_price = c.limit_price;
  if (given(c.stop_price)) changed.order.spec.stop_price = c.stop_price;
  // The same checks as a new order's fields (a stop-limit's sides, a price's range).
  if (why = check_order_fields(changed.order, rules_.fractional_quantities); !why.empty()) {
    refuse_change(w.order.symbol, w.order.signal_id, why);
    return;
  }
  book_.retire(w);  // w is not used after this: add() may move the list
  changed.skip_until = 0;
  const std::size_t slot = book_.add(changed);
  publish_update(list(changed.order.symbol)[slot], c.ts,
                 changed.filled > 0 ? OrderStatus::PartiallyFilled : OrderStatus::Accepted, "replaced");
}

}  // namespace qtrader
