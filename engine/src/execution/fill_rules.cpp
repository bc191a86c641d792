#include "execution/fill_rules.hpp"

#include <algorithm>
#include <cmath>

namespace qtrader {

namespace {

BarMatch at_open(const Bar& b) { return {true, b.open, true}; }
BarMatch at(double price) { return {true, price, false}; }

BarMatch limit_match(Side side, double limit, const Bar& b) {
  if (side == Side::Buy) {
    if (b.open <= limit) return at_open(b);
    if (b.low <= limit) return at(limit);
  } else {
    if (b.open >= limit) return at_open(b);
    if (b.high >= limit) return at(limit);
  }
  return {};
}

BarMatch stop_match(Side side, double stop, const Bar& b) {
  if (side == Side::Buy) {
    if (b.open >= stop) return at_open(b);
    if (b.high >= stop) return at(stop);
  } else {
    if (b.open <= stop) return at_open(b);
    if (b.low <= stop) return at(stop);
  }
  return {};
}

double trail_level(const WorkingOrder& o, double reference) {
  const OrderSpec& s = o.order.spec;
  const bool sell = o.order.side == Side::Sell;
  if (std::isfinite(s.trail_amount)) return sell ? reference - s.trail_amount : reference + s.trail_amount;
  const double f = s.trail_percent / 100.0;
  return sell ? reference * (1.0 - f) : reference * (1.0 + f);
}

}  // namespace

BarMatch match_bar(const WorkingOrder& o, const Bar& b, bool market_at_close) {
  const OrderSpec& s = o.order.spec;
  const Side side = o.order.side;
  switch (s.type) {
    case OrderType::Market:
      return market_at_close ? at(b.close) : at_open(b);
    case OrderType::MarketOnClose:
      return at(b.close);
    case OrderType::Limit:
      return limit_match(side, s.limit_price, b);
    case OrderType::Stop:
      return stop_match(side, s.stop_price, b);
    case OrderType::TrailingStop:
      return stop_match(side, o.trail_stop, b);
    case OrderType::StopLimit: {
      if (o.triggered) return limit_match(side, s.limit_price, b);
      const BarMatch stop = stop_match(side, s.stop_price, b);
      if (!stop.fills) return {};
      // Triggered at the open it works as a limit from the open; inside the
      // bar it fills at the stop (the limit is on the fillable side of it).
      BarMatch m = stop.at_open ? limit_match(side, s.limit_price, b) : at(s.stop_price);
      m.triggers = true;
      return m;
    }
  }
  return {};
}

double price_limit(const WorkingOrder& o) {
  const OrderType t = o.order.spec.type;
  return (t == OrderType::Limit || t == OrderType::StopLimit) ? o.order.spec.limit_price : kNaN;
}

void start_trailing(WorkingOrder& o, double reference) {
  o.trail_ref = reference;
  const double from_reference = std::isfinite(reference) ? trail_level(o, reference) : kNaN;
  o.trail_stop = std::isfinite(o.order.spec.stop_price) ? o.order.spec.stop_price : from_reference;
}

void follow_trailing(WorkingOrder& o, const Bar& b) {
  const bool sell = o.order.side == Side::Sell;
  if (!std::isfinite(o.trail_ref))
    o.trail_ref = b.close;
  else
    o.trail_ref = sell ? std::max(o.trail_ref, b.close) : std::min(o.trail_ref, b.close);
  const double level = trail_level(o, o.trail_ref);
  if (!std::isfinite(o.trail_stop))
    o.trail_stop = level;
  else
    o.trail_stop = sell ? std::max(o.trail_stop, level) : std::min(o.trail_stop, level);
}

}  // namespace qtrader
