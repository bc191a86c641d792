// Trading-day arithmetic for strategies (docs/lua-api.md "Trading days and
// sessions"): the exchange's local date of an instant, and, with a calendar,
// sessions, their open and close (UTC ns) and early closes. Dates cross the
// boundary as "YYYY-MM-DD" strings, instants as ns numbers like ctx:now().
// The last argument of each method may name a symbol (handle or name) whose
// exchange to use; without it the run's. Bound through lj_cfunc like every
// other method, so a C++ exception becomes a Lua error with the script's line.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "lua_raw.hpp"
#include "qtrader/exchange_clock.hpp"
#include "qtrader/time.hpp"
#include "userdata_support.hpp"

namespace qtrader::calendar_ctx {

template <class Context>
const ExchangeClock& clock_argument(lua_State* L, int idx, const Context& ctx, const char* method) {
  static const ExchangeClock kUtc;  // immutable: a UTC zone never caches an offset
  const SymbolId s = is_default_argument(L, idx) ? kNoSymbol : symbol_argument(L, idx, ctx, method);
  const ExchangeClock* clock = ctx.exchange(s);
  return clock ? *clock : kUtc;
}

template <class Context>
const ExchangeCalendar& calendar_argument(lua_State* L, int idx, const Context& ctx, const char* method) {
  const ExchangeCalendar* cal = clock_argument(L, idx, ctx, method).calendar();
  if (!cal)
    throw std::logic_error(fmt::format(
        "{}: {} has no exchange calendar (set calendar: XNYS on its data source)", method,
        is_default_argument(L, idx) ? std::string("the run") : describe_value(L, idx)));
  return *cal;
}

// "YYYY-MM-DD" as a day number.
inline std::int64_t date_argument(lua_State* L, int idx, const char* method) {
  std::string_view text;
  std::optional<Timestamp> d;
  if (raw_string(L, idx, text)) d = parse_date(text);
  if (!d)
    throw std::invalid_argument(
        fmt::format("{}: date must be a string \"YYYY-MM-DD\", got {}", method, describe_value(L, idx)));
  return *d / kNanosPerDay;
}

// An instant in ns, ctx:now() when nil.
template <class Context>
Timestamp instant_argument(lua_State* L, int idx, const Context& ctx, const char* method) {
  if (is_default_argument(L, idx)) return ctx.now();
  double v = 0;
  if (!raw_number(L, idx, v))
    throw std::invalid_argument(
        fmt::format("{}: time must be a number of ns such as ctx:now(), got {}", method, describe_value(L, idx)));
  return static_cast<Timestamp>(v);
}

inline void push_date(lua_State* L, std::int64_t day) {
  const std::string text = format_date(day * kNanosPerDay);
  lua_pushlstring(L, text.data(), text.size());
}

// ctx:session_date([ts [, sym]]) -> "YYYY-MM-DD": the exchange's local date.
template <auto CtxOf>
int session_date(lua_State* L) {
  constexpr const char* kMethod = "ctx:session_date";
  const auto& ctx = CtxOf(L, kMethod);
  const Timestamp ts = instant_argument(L, 2, ctx, kMethod);
  push_date(L, clock_argument(L, 3, ctx, kMethod).day_of(ts));
  return 1;
}

// ctx:in_session([ts [, sym]]) -> bool: inside a regular session.
template <auto CtxOf>
int in_session(lua_State* L) {
  constexpr const char* kMethod = "ctx:in_session";
  const auto& ctx = CtxOf(L, kMethod);
  const Timestamp ts = instant_argument(L, 2, ctx, kMethod);
  lua_pushboolean(L, calendar_argument(L, 3, ctx, kMethod).in_session(ts));
  return 1;
}

// ctx:is_session(date [, sym]) and ctx:is_early_close(date [, sym]) -> bool.
template <auto CtxOf, bool (ExchangeCalendar::*Test)(std::int64_t) const>
int day_test(lua_State* L) {
  const char* method = Test == &ExchangeCalendar::is_session ? "ctx:is_session" : "ctx:is_early_close";
  const auto& ctx = CtxOf(L, method);
  const std::int64_t day = date_argument(L, 2, method);
  lua_pushboolean(L, (calendar_argument(L, 3, ctx, method).*Test)(day));
  return 1;
}

// ctx:next_session(date [, sym]) / ctx:previous_session(date [, sym]) -> "YYYY-MM-DD".
template <auto CtxOf, bool Next>
int step_session(lua_State* L) {
  const char* method = Next ? "ctx:next_session" : "ctx:previous_session";
  const auto& ctx = CtxOf(L, method);
  const std::int64_t day = date_argument(L, 2, method);
  const ExchangeCalendar& cal = calendar_argument(L, 3, ctx, method);
  push_date(L, Next ? cal.next_session(day) : cal.previous_session(day));
  return 1;
}

// ctx:session_open(date [, sym]) / ctx:session_close(date [, sym]) -> ns UTC;
// an error when the date is no session.
template <auto CtxOf, bool Open>
int session_bound(lua_State* L) {
  const char* method = Open ? "ctx:session_open" : "ctx:session_close";
  const auto& ctx = CtxOf(L, method);
  const std::int64_t day = date_argument(L, 2, method);
  const ExchangeCalendar& cal = calendar_argument(L, 3, ctx, method);
  if (!cal.is_session(day))
    throw std::invalid_argument(fmt::format("{}: {} is no {} session", method,
                                            format_date(day * kNanosPerDay), cal.name()));
  lua_pushnumber(L, static_cast<double>(Open ? cal.session_open(day) : cal.session_close(day)));
  return 1;
}

}  // namespace qtrader::calendar_ctx
