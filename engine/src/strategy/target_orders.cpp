// StrategyContextImpl::rebalance: target positions as signals, the
// difference from the strategy's own position, sign included (backtrader's
// order_target_*). A target across zero is two signals: close, then open.
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "base/quantity.hpp"
#include "strategy/strategy_context_impl.hpp"

namespace qtrader {

namespace {

struct Leg {
  SymbolId symbol;
  Intention intention;
  double quantity;
};

// A value target counts quantity * multiplier * price (a future's
// notional; the multiplier is 1 for shares).
double shares_of(const PositionTarget& t, double price, double multiplier, double equity, bool whole,
                 const std::string& symbol) {
  if (!std::isfinite(t.amount))
    throw std::invalid_argument(fmt::format("target for {} must be a finite number", symbol));
  double q = t.amount;
  if (t.kind != TargetKind::Quantity) {
    if (!(price > 0) || !std::isfinite(price))
      throw std::invalid_argument(fmt::format("no price for {} yet: cannot size a target by value", symbol));
    const double value = t.kind == TargetKind::Percent ? t.amount * equity : t.amount;
    q = value / (price * multiplier);
  }
  // Whole shares round towards zero, as backtrader's int(); the epsilon keeps
  // 0.1 x 1000 / 10 from landing one share short.
  if (whole) q = std::trunc(q + std::copysign(kQtyEps, q));
  return q;
}

}  // namespace

void StrategyContextImpl::rebalance(std::span<const PositionTarget> targets, std::string_view tag,
                                    std::vector<std::uint64_t>& signal_ids) {
  std::vector<Leg> reduce, increase;
  const double equity = portfolio_.equity();
  for (const PositionTarget& t : targets) {
    check_symbol(t.symbol);
    const double want = shares_of(t, portfolio_.last_price(t.symbol), portfolio_.multiplier(t.symbol), equity,
                                  whole_shares_,
                                  symbols_.name(t.symbol));
    const double have = portfolio_.strategy_position(index_, t.symbol);
    if (std::fabs(want - have) <= kQtyEps) continue;
    if (have > kQtyEps && want < have) {
      reduce.push_back({t.symbol, Intention::CloseLong, std::min(have, have - want)});
      if (want < -kQtyEps) increase.push_back({t.symbol, Intention::OpenShort, -want});
    } else if (have < -kQtyEps && want > have) {
      reduce.push_back({t.symbol, Intention::CloseShort, std::min(-have, want - have)});
      if (want > kQtyEps) increase.push_back({t.symbol, Intention::OpenLong, want});
    } else if (want > have) {
      increase.push_back({t.symbol, Intention::OpenLong, want - have});
    } else {
      increase.push_back({t.symbol, Intention::OpenShort, have - want});
    }
  }
  for (const auto* legs : {&reduce, &increase})
    for (const Leg& leg : *legs) {
      SignalRequest r;
      r.symbol = leg.symbol;
      r.intention = leg.intention;
      r.quantity = leg.quantity;
      r.tag.assign(tag);
      signal_ids.push_back(emit_signal(r));
    }
}

}  // namespace qtrader
