#include "live/live_risk.hpp"

#include <cmath>

#include <fmt/format.h>

#include <spdlog/spdlog.h>

#include "qtrader/run_log.hpp"

namespace qtrader::live {

namespace {
constexpr Timestamp kMinute = 60'000'000'000LL;
}

LiveRiskGuard::LiveRiskGuard(EventBus& bus, const LiveRiskLimits& limits, const PortfolioView& portfolio,
                             const SymbolTable& symbols, TimeZone zone,
                             std::function<void(Timestamp, const std::string&, const std::string&)> on_event,
                             std::function<void(Timestamp)> on_kill)
    : limits_(limits), portfolio_(portfolio), symbols_(symbols), zone_(std::move(zone)),
      on_event_(std::move(on_event)), on_kill_(std::move(on_kill)) {
  bus.subscribe<PortfolioStateEvent>([this](const PortfolioStateEvent& e) { on_state(e); });
}

std::string LiveRiskGuard::check(const OrderEvent& o) {
  std::string why;
  const std::string& name = symbols_.name(o.symbol);
  const double before = portfolio_.position(o.symbol);
  const double after = before + (o.side == Side::Buy ? o.quantity : -o.quantity);
  // An order that brings a position toward flat is never refused for its size.
  const bool grows = std::fabs(after) > std::fabs(before);
  const double price = portfolio_.last_price(o.symbol);
  while (!recent_.empty() && recent_.front() <= o.ts - kMinute) recent_.pop_front();
  if (killed_)
    why = "kill switch: max_daily_loss reached, no new orders";
  else if (limits_.max_orders_per_minute > 0 &&
           recent_.size() >= static_cast<std::size_t>(limits_.max_orders_per_minute))
    why = fmt::format("live.risk.max_orders_per_minute: {} orders in the last minute", recent_.size());
  else if (grows && limits_.max_position > 0 && std::fabs(after) > limits_.max_position)
    why = fmt::format("live.risk.max_position: {} would hold {} (limit {})", name, after, limits_.max_position);
  else if (grows && limits_.max_notional > 0 && std::isfinite(price) &&
           std::fabs(after) * price > limits_.max_notional)
    why = fmt::format("live.risk.max_notional: {} would hold {:.2f} (limit {})", name, std::fabs(after) * price,
                      limits_.max_notional);
  if (!why.empty()) {
    run_log().warn("live risk: order for {} refused: {}", name, why);
    if (on_event_) on_event_(o.ts, "risk", why);
    return why;
  }
  recent_.push_back(o.ts);
  return {};
}

// The day's loss is counted from the last equity of the day before (the
// initial equity on the first day).
void LiveRiskGuard::on_state(const PortfolioStateEvent& e) {
  const std::int64_t day = zone_.local_day(e.ts);
  if (day != day_) {
    // No fill happens on a session's first bar, so its first state is the initial equity.
    day_start_equity_ = day_ < 0 ? e.equity : last_equity_;
    day_ = day;
  }
  last_equity_ = e.equity;
  const double loss = day_start_equity_ - e.equity;
  if (!killed_ && limits_.max_daily_loss > 0 && loss >= limits_.max_daily_loss) {
    killed_ = true;
    const std::string text =
        fmt::format("kill switch: the day's loss {:.2f} reached live.risk.max_daily_loss {}: working orders "
                    "cancelled, new orders refused",
                    loss, limits_.max_daily_loss);
    run_log().error("live: {}", text);
    if (on_event_) on_event_(e.ts, "kill_switch", text);
    if (on_kill_) on_kill_(e.ts);
  }
}

}  // namespace qtrader::live
