#include "execution/order_checks.hpp"
#include "qtrader/value_limits.hpp"

#include <cmath>

#include <fmt/format.h>

namespace qtrader {

namespace {

bool positive(double x) { return std::isfinite(x) && x > 0.0; }
bool price(double x) { return positive(x) && x <= kMaxPrice; }
bool given(double x) { return !std::isnan(x); }

}  // namespace

std::string check_order_fields(const OrderEvent& o, bool fractional_quantities) {
  if (!positive(o.quantity))
    return fmt::format("invalid quantity {}: must be a finite number > 0", o.quantity);
  if (o.quantity > kMaxQuantity)
    return fmt::format("invalid quantity {}: above the largest accepted quantity, {:g}", o.quantity,
                       kMaxQuantity);
  if (!fractional_quantities && o.quantity != std::floor(o.quantity))
    return fmt::format("fractional quantity {} while portfolio.fractional_quantities is off",
                       o.quantity);
  if (std::string e = validate_order_spec(o.spec, o.ts); !e.empty()) return e;
  const OrderSpec& s = o.spec;
  const bool buy = o.side == Side::Buy;
  // Triggered at the stop, a buy limit below it (a sell limit above it)
  // could not fill at the trigger: the order would contradict itself.
  if (s.type == OrderType::StopLimit && (buy ? s.limit_price < s.stop_price : s.limit_price > s.stop_price))
    return fmt::format("{} stop-limit with limit {} on the wrong side of its stop {}", buy ? "buy" : "sell",
                       s.limit_price, s.stop_price);
  if (given(o.stop_loss) && !price(o.stop_loss))
    return fmt::format("invalid stop_loss {}: must be a finite price > 0 and <= {:g}", o.stop_loss,
                       kMaxPrice);
  if (given(o.take_profit) && !price(o.take_profit))
    return fmt::format("invalid take_profit {}: must be a finite price > 0 and <= {:g}",
                       o.take_profit, kMaxPrice);
  if (given(o.stop_loss) && given(o.take_profit) &&
      (buy ? o.stop_loss >= o.take_profit : o.stop_loss <= o.take_profit))
    return fmt::format("{} bracket with stop_loss {} not {} its take_profit {}", buy ? "buy" : "sell",
                       o.stop_loss, buy ? "below" : "above", o.take_profit);
  return {};
}

std::string check_order_change(const OrderEvent& o, double filled, const ModifyOrderEvent& c) {
  const OrderType t = o.spec.type;
  const bool has_limit = t == OrderType::Limit || t == OrderType::StopLimit;
  const bool has_stop = t == OrderType::Stop || t == OrderType::StopLimit;
  if (given(c.limit_price) && !has_limit) return fmt::format("a {} order has no limit price", to_string(t));
  if (given(c.stop_price) && !has_stop) return fmt::format("a {} order has no stop price", to_string(t));
  if (given(c.quantity) && c.quantity <= filled)
    return fmt::format("quantity {} is not more than the {} already filled", c.quantity, filled);
  return {};
}

}  // namespace qtrader
