#include <cmath>

#include <fmt/format.h>

#include "qtrader/types.hpp"
#include "qtrader/value_limits.hpp"

namespace qtrader {

namespace {

bool positive(double x) { return std::isfinite(x) && x > 0.0 && x <= kMaxPrice; }
bool given(double x) { return !std::isnan(x); }

std::string needs(const char* type, const char* field, double value) {
  if (std::isfinite(value) && value > kMaxPrice)
    return fmt::format("a {} order's {} {} is above the largest accepted price, {:g}", type, field,
                       value, kMaxPrice);
  return fmt::format("a {} order needs a finite {} > 0, got {}", type, field, value);
}

// A field another type uses would be silently ignored: refused instead.
std::string misplaced_field(const OrderSpec& s, const char* type, bool limit, bool stop, bool trailing) {
  if (!limit && given(s.limit_price))
    return fmt::format("limit_price is for limit and stop_limit orders, not {}", type);
  if (!stop && !trailing && given(s.stop_price))
    return fmt::format("stop_price is for stop, stop_limit and trailing_stop orders, not {}", type);
  if (!trailing && (given(s.trail_amount) || given(s.trail_percent)))
    return fmt::format("trail_amount and trail_percent are for trailing_stop orders, not {}", type);
  if (s.tif != TimeInForce::GTD && s.expiry != 0)
    return fmt::format("expiry is for gtd orders, not {}", to_string(s.tif));
  return {};
}

std::string trailing_fields(const OrderSpec& s) {
  const bool by_amount = given(s.trail_amount), by_percent = given(s.trail_percent);
  if (by_amount == by_percent)
    return "a trailing_stop order needs exactly one of trail_amount and trail_percent";
  if (by_amount && !positive(s.trail_amount)) return needs("trailing_stop", "trail_amount", s.trail_amount);
  if (by_percent && !(positive(s.trail_percent) && s.trail_percent < 100.0))
    return fmt::format("a trailing_stop order needs 0 < trail_percent < 100, got {}", s.trail_percent);
  if (given(s.stop_price) && !positive(s.stop_price))
    return needs("trailing_stop", "initial stop_price", s.stop_price);
  return {};
}

}  // namespace

std::string validate_order_spec(const OrderSpec& s, Timestamp order_time) {
  const char* type = to_string(s.type);
  const bool limit = s.type == OrderType::Limit || s.type == OrderType::StopLimit;
  const bool stop = s.type == OrderType::Stop || s.type == OrderType::StopLimit;
  const bool trailing = s.type == OrderType::TrailingStop;
  if (std::string e = misplaced_field(s, type, limit, stop, trailing); !e.empty()) return e;
  if (limit && !positive(s.limit_price)) return needs(type, "limit_price", s.limit_price);
  if (stop && !positive(s.stop_price)) return needs(type, "stop_price", s.stop_price);
  if (trailing)
    if (std::string e = trailing_fields(s); !e.empty()) return e;
  if (s.tif == TimeInForce::GTD && s.expiry <= order_time)
    return "a gtd order needs an expiry after the order's time";
  return {};
}

}  // namespace qtrader
