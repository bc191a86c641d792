#include "strategy/strategy_context_impl.hpp"
#include "qtrader/run_log.hpp"
#include "qtrader/value_limits.hpp"

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
                                         StrategyClock& clock, const StrategyExchanges& exchanges,
                                         TimeframeStreams& streams,
                                         const Timeframe& timeframe)
    : index_(index), id_(std::move(id)), universe_(std::move(universe)),
      member_(symbols.size(), false), bus_(bus), portfolio_(portfolio), symbols_(symbols),
      indicators_(indicators), history_(history), clock_(clock), exchanges_(exchanges), streams_(streams) {
  for (SymbolId s : universe_) {
    member_[s] = true;
    subs_.push_back({s, streams_.stream(s, timeframe)});
  }
}

void StrategyContextImpl::subscribe(SymbolId s, std::string_view timeframe) {
  check_symbol(s);
  const auto tf = parse_timeframe(timeframe);
  if (!tf)
    throw std::invalid_argument(fmt::format(
        "ctx:subscribe: unknown timeframe '{}' (expected e.g. \"5m\", \"15m\", \"1h\", \"1d\", \"1w\")",
        timeframe));
  // Streams fed from the first bar on hold whole windows only.
  if (streams_.started()) throw std::logic_error("ctx:subscribe is allowed only in on_init");
  // A timeframe finer than the source's bars is the backtest's error, not the
  // script's: kept, and reported after on_init at the strategy's entry.
  if (const std::string why = streams_.too_fine(s, *tf); !why.empty()) {
    if (refused_.empty())
      refused_ = fmt::format("ctx:subscribe(\"{}\", \"{}\") in on_init: {}", symbols_.name(s), timeframe, why);
    return;
  }
  const Subscription sub{s, streams_.stream(s, *tf)};
  for (const auto& have : subs_)
    if (have.symbol == sub.symbol && have.stream == sub.stream) return;
  subs_.push_back(sub);
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
  // "close@5m": on the symbol's completed 5-minute bars.
  Timeframe tf;
  const std::string_view base = split_timeframe(field, tf);
  const int stream = streams_.stream(symbol, tf);
  return indicators_.get(kind, symbol, base, args, stream, stream < 0 ? "" : streams_.name(stream));
}

std::uint64_t StrategyContextImpl::emit_signal(const SignalRequest& r) {
  check_symbol(r.symbol);
  if (!clock_.may_emit || clock_.stopped)
    throw std::logic_error("emit_signal is allowed only in on_bar, on_tick, on_fill and on_order");
  for (double v : {r.price, r.confidence, r.stop_loss, r.take_profit, r.quantity})
    if (!std::isnan(v) && !std::isfinite(v))
      throw std::invalid_argument("signal fields must be finite numbers");
  // A tag is a label that lands in CSV rows (trades.csv): one line of text.
  for (const char c : r.tag)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      throw std::invalid_argument("tag must be one line of text (no control characters)");
  if (!std::isnan(r.quantity) && !(r.quantity > 0 && r.quantity <= kMaxQuantity))
    throw std::invalid_argument(
        fmt::format("quantity must be > 0 and <= {:g}, got {}", kMaxQuantity, r.quantity));
  // Prices, when given, as execution will need them (docs/lua-api.md).
  const std::pair<const char*, double> prices[] = {
      {"price", r.price}, {"stop_loss", r.stop_loss}, {"take_profit", r.take_profit}};
  for (const auto& [name, v] : prices)
    if (!std::isnan(v) && !(v > 0 && v <= kMaxPrice))
      throw std::invalid_argument(
          fmt::format("{} must be a price > 0 and <= {:g}, got {}", name, kMaxPrice, v));
  // Checked here, not only in the Lua binding, so that every caller of the
  // context gets the errors a script gets; execution checks again at acceptance.
  if (std::string e = validate_order_spec(r.order, clock_.now); !e.empty()) throw std::invalid_argument(e);
  if (is_warmup()) {
    // Refused, not failed: the script keeps running and the refusal is recorded.
    const std::uint64_t id = clock_.next_signal_id++;
    bus_.publish(OrderRejectedEvent{clock_.now, 0, id, index_, r.symbol,
                                    "signal refused: emitted during warm-up"});
    return id;
  }
  const std::uint64_t id = clock_.next_signal_id++;
  bus_.publish(SignalEvent{clock_.now, id, index_, r.symbol, r.intention, r.price, r.confidence,
                           r.stop_loss, r.take_profit, r.tag, r.order, r.quantity});
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

void StrategyContextImpl::record(std::string_view name, double value, SymbolId symbol) {
  if (symbol != kNoSymbol) check_symbol(symbol);
  bus_.publish(RecordEvent{clock_.now, index_, symbol, name, value});
}

void StrategyContextImpl::cancel_order(OrderId id) {
  bus_.publish(CancelRequestEvent{clock_.now, id, index_});
}

void StrategyContextImpl::modify_order(OrderId id, const OrderChange& change) {
  bus_.publish(ModifyOrderEvent{clock_.now, id, index_, change.quantity, change.limit_price, change.stop_price});
}

void StrategyContextImpl::log(LogLevel level, std::string_view message) {
  run_log().log(static_cast<spdlog::level::level_enum>(level), "[{}] {}", id_, message);
}

const ExchangeClock* StrategyContextImpl::exchange(SymbolId s) const {
  if (s == kNoSymbol) return &exchanges_.run;
  if (s >= symbols_.size())
    throw std::invalid_argument(fmt::format("symbol handle {} is not loaded in this run", s));
  return s < exchanges_.by_symbol.size() ? &exchanges_.by_symbol[s] : &exchanges_.run;
}

}  // namespace qtrader
