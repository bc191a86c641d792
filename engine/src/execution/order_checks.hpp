// Acceptance checks on an order's own fields (no portfolio state): each
// returns "" when the order is sound, else the reason it is rejected.
//
// Marketable limits (a buy limit above the last price) are accepted and fill
// at the open, as backtrader does; only orders that make no sense are refused:
// non-finite, zero or negative quantities, fractional quantities when they
// are off, an order spec validate_order_spec refuses (the same check a signal
// passed), a stop-limit whose limit is on the unfillable side of its stop, a
// bracket whose stop-loss is not on the losing side of its take-profit.
#pragma once

#include <string>

#include "qtrader/events.hpp"

namespace qtrader {

std::string check_order_fields(const OrderEvent& order, bool fractional_quantities);

// Why `change` (ctx:modify_order) cannot apply to a working `order` of which
// `filled` is done, "" when it can: a price its type does not have, a
// quantity not above what has filled. The simulated execution and the broker
// adapter ask the same.
std::string check_order_change(const OrderEvent& order, double filled, const ModifyOrderEvent& change);

}  // namespace qtrader
