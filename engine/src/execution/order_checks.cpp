#include "execution/order_checks.hpp"

#include <cmath>

#include <fmt/format.h>

namespace qtrader {

namespace {

bool positive(double x) { return std::isfinite(x) && x > 0.0; }
bool given(double x) { return !std::isnan(x); }

std::string price_needed(const char* type, const char* field, double value) {
  return fmt::format("{} order needs a finite {} > 0, got {}", type, field, value);
}

}  // namespace

std::string check_order_fields(const OrderEvent& o, bool fractional_quantities) {
  if (!positive(o.quantity))
    return fmt::format("invalid quantity {}: must be a finite number > 0", o.quantity);
  if (!fractional_quantities && o.quantity != std::floor(o.quantity))
    return fmt::format("fractional quantity {} while portfolio.fractional_quantities is off",
                       o.quantity);
  const OrderSpec& s = o.spec;
  const bool buy = o.side == Side::Buy;
  switch (s.type) {
    case OrderType::Market:
    case OrderType::MarketOnClose:
      break;
    case OrderType::Limit:
      if (!positive(s.limit_price)) return price_needed("a limit", "limit_price", s.limit_price);
      break;
    case OrderType::Stop:
      if (!positive(s.stop_price)) return price_needed("a stop", "stop_price", s.stop_price);
      break;
    case OrderType::StopLimit:
      if (!positive(s.stop_price)) return price_needed("a stop-limit", "stop_price", s.stop_price);
      if (!positive(s.limit_price))
        return price_needed("a stop-limit", "limit_price", s.limit_price);
      // Triggered at the stop, a buy limit below it (a sell limit above it)
      // could not fill at the trigger: the order would contradict itself.
      if (buy ? s.limit_price < s.stop_price : s.limit_price > s.stop_price)
        return fmt::format("{} stop-limit with limit {} on the wrong side of its stop {}",
                           buy ? "buy" : "sell", s.limit_price, s.stop_price);
      break;
    case OrderType::TrailingStop: {
      const bool by_amount = given(s.trail_amount), by_percent = given(s.trail_percent);
      if (by_amount == by_percent)
        return "a trailing stop needs exactly one of trail_amount and trail_percent";
      if (by_amount && !positive(s.trail_amount))
        return price_needed("a trailing stop", "trail_amount", s.trail_amount);
      if (by_percent && !(positive(s.trail_percent) && s.trail_percent < 100.0))
        return fmt::format("a trailing stop needs 0 < trail_percent < 100, got {}", s.trail_percent);
      if (given(s.stop_price) && !positive(s.stop_price))
        return price_needed("a trailing stop", "initial stop_price", s.stop_price);
      break;
    }
  }
  if (s.tif == TimeInForce::GTD && s.expiry <= o.ts)
    return "a GTD order needs an expiry after the order's time";
  if (given(o.stop_loss) && !positive(o.stop_loss))
    return fmt::format("invalid stop_loss {}: must be a finite price > 0", o.stop_loss);
  if (given(o.take_profit) && !positive(o.take_profit))
    return fmt::format("invalid take_profit {}: must be a finite price > 0", o.take_profit);
  if (given(o.stop_loss) && given(o.take_profit) &&
      (buy ? o.stop_loss >= o.take_profit : o.stop_loss <= o.take_profit))
    return fmt::format("{} bracket with stop_loss {} not {} its take_profit {}", buy ? "buy" : "sell",
                       o.stop_loss, buy ? "below" : "above", o.take_profit);
  return {};
}

}  // namespace qtrader
