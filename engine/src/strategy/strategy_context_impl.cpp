#include "strategy/strategy_context_impl.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace qtrader {

StrategyContextImpl::StrategyContextImpl(StrategyIndex index, std::string id,
                                         std::vector<SymbolId> universe, EventBus& bus,
                                         const PortfolioView& portfolio, const SymbolTable& symbols,
                                         IndicatorCache& indicators, const BarHistory& history,
                                         StrategyClock& clock, int max_signals_per_bar)
    : index_(index), id_(std::move(id)), universe_(std::move(universe)),
      member_(symbols.size(), false), bus_(bus), portfolio_(portfolio), symbols_(symbols),
      indicators_(indicators), history_(history), clock_(clock), max_signals_per_bar_(max_signals_per_bar) {
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
  check_order(r.order);
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

namespace {

int checked_depth(int n, const char* method, const char* what) {
  if (n < 0 || n >= BarHistory::kMaxDepth)
    throw std::invalid_argument(fmt::format("{}: {} must be in [0, {}), got {}", method, what,
                                            BarHistory::kMaxDepth, n));
  return n;
}

}  // namespace

double StrategyContextImpl::value(SymbolId s, std::string_view field, int ago) const {
  check_symbol(s);
  const HistoryField f = parse_history_field(field);
  history_.want(checked_depth(ago, "ctx:value", "ago") + 1);
  return history_.value(s, f, ago);
}

void StrategyContextImpl::history(SymbolId s, std::string_view field, int n,
                                  std::vector<double>& out) const {
  check_symbol(s);
  const HistoryField f = parse_history_field(field);
  history_.want(checked_depth(n, "ctx:history", "n"));
  history_.history(s, f, n, out);
}

void StrategyContextImpl::keep_history(int n) {
  history_.want(checked_depth(n, "ctx:keep_history", "n"));
}

// The order fields a signal carries are checked here so that an embedding
// application gets the same errors as a script.
void StrategyContextImpl::check_order(const OrderSpec& o) const {
  auto positive = [](double v) { return std::isfinite(v) && v > 0; };
  auto given = [](double v) { return !std::isnan(v); };
  const char* type = to_string(o.type);
  using Field = std::pair<double, const char*>;
  for (auto [v, name] : std::initializer_list<Field>{{o.limit_price, "limit_price"},
                                                     {o.stop_price, "stop_price"},
                                                     {o.trail_amount, "trail_amount"},
                                                     {o.trail_percent, "trail_percent"}})
    if (given(v) && !positive(v))
      throw std::invalid_argument(fmt::format("{} must be a finite number > 0, got {}", name, v));
  const bool limit = o.type == OrderType::Limit || o.type == OrderType::StopLimit;
  const bool stop = o.type == OrderType::Stop || o.type == OrderType::StopLimit;
  if (limit && !given(o.limit_price))
    throw std::invalid_argument(fmt::format("a {} order needs limit_price", type));
  if (!limit && given(o.limit_price))
    throw std::invalid_argument(fmt::format("limit_price is for limit and stop_limit orders, not {}", type));
  if (stop && !given(o.stop_price))
    throw std::invalid_argument(fmt::format("a {} order needs stop_price", type));
  if (!stop && o.type != OrderType::TrailingStop && given(o.stop_price))
    throw std::invalid_argument(fmt::format("stop_price is for stop and stop_limit orders, not {}", type));
  if (o.type == OrderType::TrailingStop) {
    if (given(o.trail_amount) == given(o.trail_percent))
      throw std::invalid_argument("a trailing_stop order needs exactly one of trail_amount and trail_percent");
    if (given(o.trail_percent) && o.trail_percent >= 100)
      throw std::invalid_argument(fmt::format("trail_percent must be below 100, got {}", o.trail_percent));
  } else if (given(o.trail_amount) || given(o.trail_percent)) {
    throw std::invalid_argument(fmt::format("trail_amount and trail_percent are for trailing_stop orders, not {}", type));
  }
  if (o.tif == TimeInForce::GTD) {
    if (o.expiry <= clock_.now)
      throw std::invalid_argument("a gtd order needs an expiry after the current bar");
  } else if (o.expiry != 0) {
    throw std::invalid_argument(fmt::format("expiry is for gtd orders, not {}", to_string(o.tif)));
  }
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
