#include "strategy/strategy_context_impl.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace qtrader {

StrategyContextImpl::StrategyContextImpl(StrategyIndex index, std::string id,
                                         std::vector<SymbolId> universe, EventBus& bus,
                                         const PortfolioView& portfolio, const SymbolTable& symbols,
                                         IndicatorCache& indicators, StrategyClock& clock,
                                         int max_signals_per_bar)
    : index_(index), id_(std::move(id)), universe_(std::move(universe)),
      member_(symbols.size(), false), bus_(bus), portfolio_(portfolio), symbols_(symbols),
      indicators_(indicators), clock_(clock), max_signals_per_bar_(max_signals_per_bar) {
  for (SymbolId s : universe_) member_[s] = true;
}

SymbolId StrategyContextImpl::symbol(std::string_view name) const {
  const SymbolId s = symbols_.find(name);
  return subscribed(s) ? s : kNoSymbol;
}

void StrategyContextImpl::check_symbol(SymbolId s) const {
  if (!subscribed(s))
    throw std::invalid_argument(
        fmt::format("symbol handle {} is not in strategy '{}''s universe", s, id_));
}

double StrategyContextImpl::position(SymbolId s) const {
  check_symbol(s);
  return portfolio_.position(s);
}

const Indicator* StrategyContextImpl::indicator(std::string_view kind, SymbolId symbol,
                                                std::string_view field,
                                                std::span<const double> args) {
  check_symbol(symbol);
  return indicators_.get(kind, symbol, field, args);
}

std::uint64_t StrategyContextImpl::emit_signal(const SignalRequest& r) {
  check_symbol(r.symbol);
  if (!clock_.in_bar) throw std::logic_error("emit_signal is allowed only inside on_bar");
  for (double v : {r.price, r.confidence, r.stop_loss, r.take_profit})
    if (!std::isnan(v) && !std::isfinite(v))
      throw std::invalid_argument("signal fields must be finite numbers");
  if (++signals_this_bar_ > max_signals_per_bar_)
    throw std::logic_error(
        fmt::format("more than {} signals in one on_bar call", max_signals_per_bar_));
  if (clock_.warmup) {
    // Refused, not failed: the script keeps running and the refusal is recorded.
    const std::uint64_t id = clock_.next_signal_id++;
    bus_.publish(OrderRejectedEvent{clock_.now, 0, id, index_, r.symbol,
                                    "signal refused: emitted during warm-up"});
    return id;
  }
  const std::uint64_t id = clock_.next_signal_id++;
  bus_.publish(SignalEvent{clock_.now, id, index_, r.symbol, r.intention, r.price, r.confidence,
                           r.stop_loss, r.take_profit, r.tag, r.order});
  return id;
}

double StrategyContextImpl::value(SymbolId, std::string_view, int) const {
  throw std::logic_error("ctx:value is not available yet");
}

void StrategyContextImpl::history(SymbolId, std::string_view, int, std::vector<double>&) const {
  throw std::logic_error("ctx:history is not available yet");
}

void StrategyContextImpl::record(std::string_view name, double value, SymbolId symbol) {
  if (symbol != kNoSymbol) check_symbol(symbol);
  bus_.publish(RecordEvent{clock_.now, index_, symbol, name, value});
}

void StrategyContextImpl::cancel_order(OrderId id) {
  bus_.publish(CancelRequestEvent{clock_.now, id, index_});
}

void StrategyContextImpl::log(LogLevel level, std::string_view message) {
  spdlog::log(static_cast<spdlog::level::level_enum>(level), "[{}] {}", id_, message);
}

}  // namespace qtrader
