#include "strategy_ctx_binding.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "host_state.hpp"
#include "lua_raw.hpp"
#include "qtrader/indicators.hpp"
#include "qtrader/time.hpp"
#include "trampoline.hpp"
#include "calendar_ctx_methods.hpp"
#include "research_ctx_methods.hpp"
#include "shared_ctx_methods.hpp"
#include "userdata_support.hpp"

namespace qtrader {

namespace {

// ---- ctx ------------------------------------------------------------------------

StrategyBinding& binding_of(lua_State* L, const char* method) {
  auto& ud = check_self<StrategyCtxUserdata>(L, method);
  if (!ud.binding || ud.generation != host_state_of(L)->generation) throw_retired(method);
  return *ud.binding;
}

StrategyContext& ctx_of(lua_State* L, const char* method) { return *binding_of(L, method).ctx; }

int ctx_is_warmup(lua_State* L) {
  lua_pushboolean(L, ctx_of(L, "ctx:is_warmup").is_warmup());
  return 1;
}

int ctx_universe(lua_State* L) {
  auto symbols = ctx_of(L, "ctx:universe").universe();
  lua_createtable(L, static_cast<int>(symbols.size()), 0);
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    lua_pushnumber(L, symbols[i]);
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  return 1;
}

// The numbers after an indicator's field, from stack index `first` on: a nil
// takes the kind's default, like one left out (ctx:indicator("macd", sym,
// "close", nil, 30)).
std::span<const double> indicator_arguments(lua_State* L, int first, std::string_view kind,
                                            std::array<double, 8>& args, const char* method) {
  const int nargs = std::max(given_arguments(L) - (first - 1), 0);
  if (nargs > static_cast<int>(args.size()))
    throw std::invalid_argument(fmt::format("{}: too many arguments", method));
  for (int i = 0; i < nargs; ++i) {
    if (is_default_argument(L, first + i)) {
      // Past the kind's arguments there is no default: NaN lets the factory
      // report the argument count (or the unknown kind).
      args[i] = indicator_default_argument(kind, i).value_or(std::nan(""));
    } else if (!raw_number(L, first + i, args[i]) || !std::isfinite(args[i])) {
      throw std::invalid_argument(fmt::format("{}: argument {} must be a finite number", method, i + 1));
    }
  }
  return {args.data(), static_cast<std::size_t>(nargs)};
}

// ctx:indicator(kind, sym, field, ...numbers).
int ctx_indicator(lua_State* L) {
  constexpr const char* kMethod = "ctx:indicator";
  auto& ctx = ctx_of(L, kMethod);
  std::string_view kind, field;
  if (!raw_string(L, 2, kind)) throw std::invalid_argument("ctx:indicator: kind must be a string");
  const SymbolId sym = symbol_argument(L, 3, ctx, kMethod);
  if (!raw_string(L, 4, field))
    throw std::invalid_argument("ctx:indicator: field must be a string such as \"close\"");
  std::array<double, 8> args{};
  const Indicator* indicator = ctx.indicator(kind, sym, field, indicator_arguments(L, 5, kind, args, kMethod));
  if (!indicator) throw std::invalid_argument(fmt::format("ctx:indicator: cannot create '{}'", kind));
  push_indicator(L, indicator);
  return 1;
}

// ctx:indicators(kind, symbols, field, ...numbers): the indicator of each
// symbol of the list (each as ctx:indicator would make it), as one set whose
// `value` column on_slice reads aligned with slice.symbol (NaN for a symbol
// the set lacks). Scripts with on_slice only.
int ctx_indicators(lua_State* L) {
  constexpr const char* kMethod = "ctx:indicators";
  StrategyBinding& b = binding_of(L, kMethod);
  if (!b.slice)
    throw std::logic_error("ctx:indicators: a set's values are filled for on_slice, which this script does not "
                           "define (use ctx:indicator in on_bar)");
  std::string_view kind, field;
  if (!raw_string(L, 2, kind)) throw std::invalid_argument("ctx:indicators: kind must be a string");
  if (lua_type(L, 3) != LUA_TTABLE)
    throw std::invalid_argument(fmt::format("ctx:indicators: symbols must be a list of symbols such as "
                                            "ctx:universe(), got {}", describe_value(L, 3)));
  if (!raw_string(L, 4, field))
    throw std::invalid_argument("ctx:indicators: field must be a string such as \"close\"");
  std::array<double, 8> args{};
  const std::span<const double> numbers = indicator_arguments(L, 5, kind, args, kMethod);
  std::vector<const Indicator*> by_symbol;
  const int count = static_cast<int>(lua_objlen(L, 3));
  for (int i = 1; i <= count; ++i) {
    lua_rawgeti(L, 3, i);
    const SymbolId sym = symbol_argument(L, lua_gettop(L), *b.ctx, kMethod);
    lua_pop(L, 1);
    const Indicator* indicator = b.ctx->indicator(kind, sym, field, numbers);
    if (!indicator) throw std::invalid_argument(fmt::format("ctx:indicators: cannot create '{}'", kind));
    if (by_symbol.size() <= sym) by_symbol.resize(sym + 1, nullptr);
    by_symbol[sym] = indicator;
  }
  b.slice->add_set(L, std::move(by_symbol));
  return 1;
}

// ctx:history(sym, field, n[, into]): array of the last n values, oldest
// first (fewer at the start of the data). `into`, a table, is refilled and
// returned instead of a new table (entries past the new length are cleared).
int ctx_history(lua_State* L) {
  constexpr const char* kMethod = "ctx:history";
  StrategyBinding& b = binding_of(L, kMethod);
  const SymbolId sym = symbol_argument(L, 2, *b.ctx, kMethod);
  const std::string_view field = shared_ctx::field_argument(L, 3, kMethod);
  const int n = static_cast<int>(shared_ctx::integer_argument(L, 4, 1, 999999, kMethod, "n"));
  const bool reuse = !is_default_argument(L, 5);
  if (reuse && lua_type(L, 5) != LUA_TTABLE)
    throw std::invalid_argument(fmt::format("{}: into must be a table, got {}", kMethod, describe_value(L, 5)));
  b.ctx->history(sym, field, n, b.scratch);
  const int count = static_cast<int>(b.scratch.size());
  if (reuse) {
    const int old = static_cast<int>(lua_objlen(L, 5));
    for (int i = count + 1; i <= old; ++i) {
      lua_pushnil(L);
      lua_rawseti(L, 5, i);
    }
    lua_settop(L, 5);
  } else {
    lua_createtable(L, count, 0);
  }
  for (int i = 0; i < count; ++i) {
    lua_pushnumber(L, b.scratch[i]);
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

// ctx:record(name, value[, sym]): a named series saved with the run.
int ctx_record(lua_State* L) {
  constexpr const char* kMethod = "ctx:record";
  auto& ctx = ctx_of(L, kMethod);
  std::string_view name;
  if (!raw_string(L, 2, name) || name.empty() || name.size() > 200)
    throw std::invalid_argument(fmt::format("{}: name must be a non-empty string (at most 200 bytes), got {}",
                                            kMethod, describe_value(L, 2)));
  double v = 0;
  if (!raw_number(L, 3, v))
    throw std::invalid_argument(fmt::format("{}: value must be a number, got {}", kMethod, describe_value(L, 3)));
  const SymbolId sym = opt_argument(L, 4, kNoSymbol, [&] { return symbol_argument(L, 4, ctx, kMethod); });
  ctx.record(name, v, sym);
  return 0;
}

// ctx:cancel(order_id): asks execution to cancel a working order of this
// strategy; the outcome arrives in on_order ("cancelled", or nothing if it
// had already filled).
int ctx_cancel(lua_State* L) {
  constexpr const char* kMethod = "ctx:cancel";
  auto& ctx = ctx_of(L, kMethod);
  ctx.cancel_order(static_cast<OrderId>(shared_ctx::integer_argument(L, 2, 1, 0x1p53, kMethod, "order_id")));
  return 0;
}

// ctx:modify_order(order_id, {quantity=, limit_price=, stop_price=}): asks
// execution to change a working order of this strategy (NautilusTrader's
// modify_order; LEAN's UpdateOrder). The outcome arrives in on_order: an
// update with reason "replaced", or a rejection naming why (an order that has
// ended, a price its type does not have). A malformed call is the script's
// error, raised here.
int ctx_modify_order(lua_State* L) {
  constexpr const char* kMethod = "ctx:modify_order";
  auto& ctx = ctx_of(L, kMethod);
  const auto id = static_cast<OrderId>(shared_ctx::integer_argument(L, 2, 1, 0x1p53, kMethod, "order_id"));
  if (lua_type(L, 3) != LUA_TTABLE)
    throw std::invalid_argument(fmt::format("{}: expects a table {{quantity=, limit_price=, stop_price=}} after "
                                            "the order id, got {}",
                                            kMethod, describe_value(L, 3)));
  StrategyContext::OrderChange change;
  bool any = false;
  lua_settop(L, 3);
  lua_pushnil(L);
  while (lua_next(L, 3) != 0) {  // stack: ctx, id, t, key, value
    std::string_view key;
    if (!raw_string(L, 4, key))
      throw std::invalid_argument(fmt::format("{}: unexpected key {}", kMethod, describe_value(L, 4)));
    double* field = key == "quantity"      ? &change.quantity
                    : key == "limit_price" ? &change.limit_price
                    : key == "stop_price"  ? &change.stop_price
                                           : nullptr;
    if (!field)
      throw std::invalid_argument(fmt::format("{}: unknown key '{}' (expected quantity, limit_price, stop_price)",
                                              kMethod, key));
    double v = 0;
    if (!raw_number(L, 5, v) || !std::isfinite(v) || v <= 0)
      throw std::invalid_argument(
          fmt::format("{}: {} must be a finite number > 0, got {}", kMethod, key, describe_value(L, 5)));
    *field = v;
    any = true;
    lua_pop(L, 1);
  }
  if (!any)
    throw std::invalid_argument(fmt::format("{}: nothing to change: give quantity, limit_price or stop_price",
                                            kMethod));
  ctx.modify_order(id, change);
  return 0;
}

// ctx:emit_signal{symbol=, intention=, price?, confidence?, stop_loss?, take_profit?, tag?,
//                 order_type?, limit_price?, stop_price?, trail_amount?, trail_percent?, tif?, expiry?}
// The only way a strategy acts; everything is checked here with raw access.
// Returns the signal id (on_order events carry it).
int ctx_emit_signal(lua_State* L) {
  constexpr const char* kMethod = "ctx:emit_signal";
  StrategyBinding& b = binding_of(L, kMethod);
  if (lua_type(L, 2) != LUA_TTABLE)
    throw std::invalid_argument("ctx:emit_signal: expects a table {symbol=, intention=, ...}");
  SignalRequest req;
  bool have_symbol = false, have_intention = false, have_tif = false;
  lua_settop(L, 2);
  lua_pushnil(L);
  while (lua_next(L, 2) != 0) {  // stack: ctx, t, key, value
    std::string_view key;
    if (!raw_string(L, 3, key))
      throw std::invalid_argument(fmt::format("{}: unexpected key {}", kMethod, describe_value(L, 3)));
    auto number_field = [&](double& out) {
      if (!raw_number(L, 4, out) || !std::isfinite(out))
        throw std::invalid_argument(
            fmt::format("{}: {} must be a finite number, got {}", kMethod, key, describe_value(L, 4)));
    };
    if (key == "symbol") {
      req.symbol = symbol_argument(L, 4, *b.ctx, kMethod);
      try {
        (void)b.ctx->symbol_name(req.symbol);
      } catch (const std::exception&) {
        throw std::invalid_argument(fmt::format("{}: unknown symbol handle {}", kMethod, req.symbol));
      }
      have_symbol = true;
    } else if (key == "intention") {
      std::string_view text;
      if (!raw_string(L, 4, text) || !parse_intention(std::string(text), req.intention))
        throw std::invalid_argument(fmt::format("{}: intention must be {}, got {}", kMethod,
                                                quoted_names<Intention>(), describe_value(L, 4)));
      have_intention = true;
    } else if (key == "price") {
      number_field(req.price);
    } else if (key == "confidence") {
      number_field(req.confidence);
    } else if (key == "stop_loss") {
      number_field(req.stop_loss);
    } else if (key == "take_profit") {
      number_field(req.take_profit);
    } else if (key == "quantity") {
      number_field(req.quantity);
    } else if (key == "tag") {
      std::string_view tag;
      if (!raw_string(L, 4, tag)) throw std::invalid_argument("ctx:emit_signal: tag must be a string");
      req.tag.assign(tag);
    } else if (key == "order_type") {
      std::string_view text;
      if (!raw_string(L, 4, text) || !parse_order_type(std::string(text), req.order.type))
        throw std::invalid_argument(fmt::format("{}: order_type must be {}, got {}", kMethod,
                                                quoted_names<OrderType>(), describe_value(L, 4)));
    } else if (key == "limit_price") {
      number_field(req.order.limit_price);
    } else if (key == "stop_price") {
      number_field(req.order.stop_price);
    } else if (key == "trail_amount") {
      number_field(req.order.trail_amount);
    } else if (key == "trail_percent") {
      number_field(req.order.trail_percent);
    } else if (key == "tif") {
      std::string_view text;
      if (!raw_string(L, 4, text) || !parse_time_in_force(std::string(text), req.order.tif))
        throw std::invalid_argument(fmt::format("{}: tif must be {}, got {}", kMethod,
                                                quoted_names<TimeInForce>(), describe_value(L, 4)));
      have_tif = true;
    } else if (key == "expiry") {
      // A date or date-time string (UTC), or a timestamp in ns such as ctx:now() + ...
      std::string_view text;
      double ns = 0;
      if (raw_string(L, 4, text)) {
        const auto ts = parse_timestamp(text);
        if (!ts)
          throw std::invalid_argument(fmt::format(
              "{}: expiry must be \"YYYY-MM-DD\" or \"YYYY-MM-DD HH:MM:SS\", got {}", kMethod,
              describe_value(L, 4)));
        req.order.expiry = *ts;
      } else if (raw_number(L, 4, ns) && std::isfinite(ns) && ns > 0 && ns < 0x1p62) {
        req.order.expiry = static_cast<Timestamp>(ns);
      } else {
        throw std::invalid_argument(fmt::format(
            "{}: expiry must be a date string or a timestamp in ns, got {}", kMethod, describe_value(L, 4)));
      }
    } else {
      throw std::invalid_argument(fmt::format(
          "{}: unknown field '{}' (expected symbol, intention, quantity, price, confidence, "
          "stop_loss, take_profit, tag, order_type, limit_price, stop_price, trail_amount, "
          "trail_percent, tif, expiry)",
          kMethod, key));
    }
    lua_pop(L, 1);
  }
  if (!have_symbol) throw std::invalid_argument("ctx:emit_signal: symbol is required");
  if (!have_intention) throw std::invalid_argument("ctx:emit_signal: intention is required");
  // An expiry alone means good-till-date.
  if (req.order.expiry != 0 && !have_tif) req.order.tif = TimeInForce::GTD;
  if (b.signals >= b.max_signals)
    throw std::logic_error(
        fmt::format("ctx:emit_signal: more than {} signals in one callback", b.max_signals));
  ++b.signals;
  try {
    lua_pushnumber(L, static_cast<double>(b.ctx->emit_signal(req)));
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("{}: {}", kMethod, e.what()));
  }
  return 1;
}

// ---- targets ----------------------------------------------------------------------

// Pushes the ids of the signals a rebalance emitted as a list; counts them
// against the callback's signal cap first.
int push_signal_ids(lua_State* L, StrategyBinding& b, const std::vector<PositionTarget>& targets,
                    std::string_view tag, const char* method) {
  if (b.signals + 2 * static_cast<int>(targets.size()) > b.max_signals)
    throw std::logic_error(fmt::format("{}: more than {} signals in one callback", method, b.max_signals));
  std::vector<std::uint64_t> ids;
  try {
    b.ctx->rebalance(targets, tag, ids);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("{}: {}", method, e.what()));
  }
  b.signals += static_cast<int>(ids.size());
  lua_createtable(L, static_cast<int>(ids.size()), 0);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    lua_pushnumber(L, static_cast<double>(ids[i]));
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  return 1;
}

std::string_view optional_tag(lua_State* L, int idx, const char* method) {
  std::string_view tag;
  if (lua_type(L, idx) <= LUA_TNIL) return tag;
  if (!raw_string(L, idx, tag)) throw std::invalid_argument(fmt::format("{}: tag must be a string", method));
  return tag;
}

double target_amount(lua_State* L, int idx, const char* method) {
  double v = 0;
  if (!raw_number(L, idx, v) || !std::isfinite(v))
    throw std::invalid_argument(
        fmt::format("{}: the target must be a finite number, got {}", method, describe_value(L, idx)));
  return v;
}

// ctx:target_quantity(sym, shares [, tag]), ctx:target_value(sym, money [, tag]),
// ctx:target_percent(sym, fraction [, tag]): the list of signal ids emitted.
template <TargetKind Kind>
int ctx_target(lua_State* L) {
  constexpr const char* kMethod = Kind == TargetKind::Quantity ? "ctx:target_quantity"
                                  : Kind == TargetKind::Value  ? "ctx:target_value"
                                                               : "ctx:target_percent";
  StrategyBinding& b = binding_of(L, kMethod);
  const std::vector<PositionTarget> targets{
      {symbol_argument(L, 2, *b.ctx, kMethod), Kind, target_amount(L, 3, kMethod)}};
  return push_signal_ids(L, b, targets, optional_tag(L, 4, kMethod), kMethod);
}

// ctx:rebalance({[sym] = fraction, ...} [, tag]): targets as fractions of
// equity, in ascending symbol order; symbols not named keep their positions.
int ctx_rebalance(lua_State* L) {
  constexpr const char* kMethod = "ctx:rebalance";
  StrategyBinding& b = binding_of(L, kMethod);
  if (lua_type(L, 2) != LUA_TTABLE)
    throw std::invalid_argument("ctx:rebalance: expects a table {[sym] = fraction of equity, ...}");
  const std::string_view tag = optional_tag(L, 3, kMethod);
  std::vector<PositionTarget> targets;
  lua_settop(L, 3);
  lua_pushnil(L);
  while (lua_next(L, 2) != 0) {  // stack: ctx, t, tag, key, value
    targets.push_back({symbol_argument(L, 4, *b.ctx, kMethod), TargetKind::Percent,
                       target_amount(L, 5, kMethod)});
    lua_pop(L, 1);
  }
  // A table's traversal order is not defined: symbol order makes it so.
  std::sort(targets.begin(), targets.end(),
            [](const PositionTarget& a, const PositionTarget& c) { return a.symbol < c.symbol; });
  for (std::size_t i = 1; i < targets.size(); ++i)
    if (targets[i].symbol == targets[i - 1].symbol)
      throw std::invalid_argument(fmt::format("{}: {} is named twice", kMethod,
                                              b.ctx->symbol_name(targets[i].symbol)));
  return push_signal_ids(L, b, targets, tag, kMethod);
}

// ctx:subscribe(sym, timeframe): on_bar also gets sym's consolidated bars of
// `timeframe` ("5m", "1h", "1d", ...); on_init only.
int ctx_subscribe(lua_State* L) {
  constexpr const char* kMethod = "ctx:subscribe";
  auto& ctx = ctx_of(L, kMethod);
  const SymbolId sym = symbol_argument(L, 2, ctx, kMethod);
  std::string_view timeframe;
  if (!raw_string(L, 3, timeframe))
    throw std::invalid_argument(fmt::format("{}: timeframe must be a string such as \"5m\", got {}",
                                            kMethod, describe_value(L, 3)));
  ctx.subscribe(sym, timeframe);
  return 0;
}

const luaL_Reg kCtxMethods[] = {
    {"now", lj_cfunc<shared_ctx::now<&ctx_of>>},
    {"is_warmup", lj_cfunc<ctx_is_warmup>},
    {"universe", lj_cfunc<ctx_universe>},
    {"symbol", lj_cfunc<shared_ctx::symbol<&ctx_of>>},
    {"symbol_name", lj_cfunc<shared_ctx::symbol_name<&ctx_of>>},
    {"position", lj_cfunc<shared_ctx::position<&ctx_of>>},
    {"cash", lj_cfunc<shared_ctx::cash<&ctx_of>>},
    {"equity", lj_cfunc<shared_ctx::equity<&ctx_of>>},
    {"indicator", lj_cfunc<ctx_indicator>},
    {"indicators", lj_cfunc<ctx_indicators>},
    {"emit_signal", lj_cfunc<ctx_emit_signal>},
    {"target_quantity", lj_cfunc<ctx_target<TargetKind::Quantity>>},
    {"target_value", lj_cfunc<ctx_target<TargetKind::Value>>},
    {"target_percent", lj_cfunc<ctx_target<TargetKind::Percent>>},
    {"rebalance", lj_cfunc<ctx_rebalance>},
    {"value", lj_cfunc<shared_ctx::value<&ctx_of>>},
    {"history", lj_cfunc<ctx_history>},
    {"record", lj_cfunc<ctx_record>},
    {"cancel", lj_cfunc<ctx_cancel>},
    {"modify_order", lj_cfunc<ctx_modify_order>},
    {"subscribe", lj_cfunc<ctx_subscribe>},
    {"keep_history", lj_cfunc<shared_ctx::keep_history<&ctx_of>>},
    {"log", lj_cfunc<shared_ctx::log<&ctx_of>>},
    // trading days and sessions (calendar_ctx_methods.hpp)
    {"session_date", lj_cfunc<calendar_ctx::session_date<&ctx_of>>},
    {"in_session", lj_cfunc<calendar_ctx::in_session<&ctx_of>>},
    {"is_session", lj_cfunc<calendar_ctx::day_test<&ctx_of, &ExchangeCalendar::is_session>>},
    {"is_early_close", lj_cfunc<calendar_ctx::day_test<&ctx_of, &ExchangeCalendar::is_early_close>>},
    {"next_session", lj_cfunc<calendar_ctx::step_session<&ctx_of, true>>},
    {"previous_session", lj_cfunc<calendar_ctx::step_session<&ctx_of, false>>},
    {"session_open", lj_cfunc<calendar_ctx::session_bound<&ctx_of, true>>},
    {"session_close", lj_cfunc<calendar_ctx::session_bound<&ctx_of, false>>},
    // model signals and portfolio optimisation (research_ctx_methods.hpp)
    {"signal", lj_cfunc<research_ctx::signal>},
    {"optimize", lj_cfunc<research_ctx::optimize>},
    {nullptr, nullptr}};

// ---- indicator handles --------------------------------------------------------------

struct IndicatorUserdata {
  const Indicator* indicator;
  std::uint64_t generation;
};

const Indicator& indicator_of(lua_State* L, const char* method) {
  auto& ud = check_self<IndicatorUserdata>(L, method);
  if (ud.generation != host_state_of(L)->generation) throw_retired(method);
  return *ud.indicator;
}

int optional_index(lua_State* L, int idx, int fallback, const char* what) {
  return opt_argument(L, idx, fallback, [&] {
    double v = 0;
    if (!raw_number(L, idx, v) || v != std::floor(v) || v < 0 || v > 1e6)
      throw std::invalid_argument(fmt::format("indicator:value: {} must be a non-negative integer", what));
    return v;
  });
}

// :value(ago = 0, line = 1): line is 1-based (macd: 1 line, 2 signal, 3 histogram).
int indicator_value(lua_State* L) {
  const Indicator& ind = indicator_of(L, "indicator:value");
  const int ago = optional_index(L, 2, 0, "ago");
  const int line = optional_index(L, 3, 1, "line");
  if (line < 1 || line > ind.outputs())
    throw std::invalid_argument(
        fmt::format("indicator:value: line {} out of range (this indicator has {})", line, ind.outputs()));
  lua_pushnumber(L, ind.value(line - 1, ago));
  return 1;
}

int indicator_ready(lua_State* L) {
  lua_pushboolean(L, indicator_of(L, "indicator:ready").ready());
  return 1;
}

int indicator_outputs(lua_State* L) {
  lua_pushnumber(L, indicator_of(L, "indicator:outputs").outputs());
  return 1;
}

const luaL_Reg kIndicatorMethods[] = {{"value", lj_cfunc<indicator_value>},
                                      {"ready", lj_cfunc<indicator_ready>},
                                      {"outputs", lj_cfunc<indicator_outputs>},
                                      {nullptr, nullptr}};

// ---- bar view ----------------------------------------------------------------------
// One userdata per strategy, overwritten before each on_bar: no table per bar
// (a reused table costs ~210 ns/bar to refill; this costs nothing up front and
// ~30 ns per field read). Keys are compared as interned string pointers.

// The hottest function of the binding: no trampoline (nothing here throws a
// C++ exception) and the error path uses Lua's own formatting.
int bar_index(lua_State* L) {
  const auto& view = *static_cast<const BarView*>(lua_touserdata(L, 1));
  const Bar& bar = view.bar;
  const char* const* keys = view.keys;
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : nullptr;
  double v;
  if (key == keys[HostState::kClose]) v = bar.close;
  else if (key == keys[HostState::kSymbol]) v = bar.symbol;
  else if (key == keys[HostState::kOpen]) v = bar.open;
  else if (key == keys[HostState::kHigh]) v = bar.high;
  else if (key == keys[HostState::kLow]) v = bar.low;
  else if (key == keys[HostState::kVolume]) v = bar.volume;
  else if (key == keys[HostState::kTs] || key == keys[HostState::kTime]) v = static_cast<double>(bar.ts);
  else if (key == keys[HostState::kAdjClose]) v = bar.adj_close;
  else if (key == keys[HostState::kTimeframe]) {
    lua_pushstring(L, view.timeframe);
    return 1;
  } else {
    std::string where = lua_location(L, 1);
    const std::string message =
        (where.empty() ? "" : where + " ") + "bar has no field " + describe_value(L, 2) +
        " (fields: symbol, ts, time, open, high, low, close, volume, adj_close, timeframe)";
    lua_pushlstring(L, message.data(), message.size());
    return lua_error(L);
  }
  lua_pushnumber(L, v);
  return 1;
}

int bar_newindex(lua_State*) { throw std::logic_error("bar is read-only"); }

// ---- tick view ----------------------------------------------------------------------
// As the bar view: one userdata per strategy, overwritten before each on_tick.
// bid and ask read nil where the file has none.
int tick_index(lua_State* L) {
  const auto& view = *static_cast<const TickView*>(lua_touserdata(L, 1));
  const Tick& tick = view.tick;
  const char* const* keys = view.keys;
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : nullptr;
  double v;
  if (key == keys[HostState::kPrice]) v = tick.price;
  else if (key == keys[HostState::kSize]) v = tick.size;
  else if (key == keys[HostState::kSymbol]) v = tick.symbol;
  else if (key == keys[HostState::kTs] || key == keys[HostState::kTime]) v = static_cast<double>(tick.ts);
  else if (key == keys[HostState::kBid] || key == keys[HostState::kAsk]) {
    v = key == keys[HostState::kBid] ? tick.bid : tick.ask;
    if (v != v) {  // NaN: not in the file
      lua_pushnil(L);
      return 1;
    }
  } else {
    std::string where = lua_location(L, 1);
    const std::string message = (where.empty() ? "" : where + " ") + "tick has no field " +
                                describe_value(L, 2) + " (fields: symbol, ts, time, price, size, bid, ask)";
    lua_pushlstring(L, message.data(), message.size());
    return lua_error(L);
  }
  lua_pushnumber(L, v);
  return 1;
}

int tick_newindex(lua_State*) { throw std::logic_error("tick is read-only"); }

}  // namespace

StrategyCtxUserdata* push_strategy_ctx(lua_State* L, StrategyBinding* binding) {
  const bool fresh = host_state_of(L)->strategy_ctx_mt_ref == LUA_NOREF;
  auto* ud = push_ctx_userdata<StrategyCtxUserdata>(L, binding, &HostState::strategy_ctx_mt_ref, kCtxMethods);
  add_ctx_state(L, fresh);
  return ud;
}

void push_indicator(lua_State* L, const Indicator* indicator) {
  auto* ud = static_cast<IndicatorUserdata*>(lua_newuserdata(L, sizeof(IndicatorUserdata)));
  *ud = {indicator, host_state_of(L)->generation};
  push_userdata_metatable(L, host_state_of(L)->indicator_mt_ref, kIndicatorMethods);
  lua_setmetatable(L, -2);
}

void BarView::set_timeframe(std::string_view name) noexcept {
  const std::size_t n = std::min(name.size(), sizeof(timeframe) - 1);
  name.copy(timeframe, n);  // not memcpy: an empty view may hold a null pointer
  timeframe[n] = '\0';
}

TickView* push_tick_view(lua_State* L) {
  HostState& h = *host_state_of(L);
  auto* view = static_cast<TickView*>(lua_newuserdata(L, sizeof(TickView)));
  new (view) TickView{Tick{}, h.bar_keys};
  const bool fresh = h.tick_mt_ref == LUA_NOREF;
  push_userdata_metatable(L, h.tick_mt_ref, nullptr, tick_index);
  if (fresh) {
    lua_pushstring(L, "__newindex");
    lua_pushcfunction(L, lj_cfunc<tick_newindex>);
    lua_rawset(L, -3);
  }
  lua_setmetatable(L, -2);
  return view;
}

BarView* push_bar_view(lua_State* L) {
  HostState& h = *host_state_of(L);
  auto* view = static_cast<BarView*>(lua_newuserdata(L, sizeof(BarView)));
  new (view) BarView{Bar{}, h.bar_keys, {}};
  const bool fresh = h.bar_mt_ref == LUA_NOREF;
  push_userdata_metatable(L, h.bar_mt_ref, nullptr, bar_index);
  if (fresh) {
    lua_pushstring(L, "__newindex");
    lua_pushcfunction(L, lj_cfunc<bar_newindex>);
    lua_rawset(L, -3);
  }
  lua_setmetatable(L, -2);
  return view;
}

}  // namespace qtrader
