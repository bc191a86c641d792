// The ctx methods that strategies and risk policies share, written once.
// Each is a template on the file's own `ctx_of(L, method)` accessor, which
// checks the userdata and its generation, so every instance is still bound
// through lj_cfunc (bindings/src/trampoline.hpp) like any other method.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "lua_raw.hpp"
#include "userdata_support.hpp"

namespace qtrader::shared_ctx {

// An integer argument in [lo, hi] (ago, n, order ids).
inline double integer_argument(lua_State* L, int idx, double lo, double hi, const char* method,
                               const char* what) {
  double v = 0;
  if (!raw_number(L, idx, v) || v != std::floor(v) || v < lo || v > hi)
    throw std::invalid_argument(fmt::format("{}: {} must be an integer in [{}, {}], got {}", method,
                                            what, lo, hi, describe_value(L, idx)));
  return v;
}

inline std::string_view field_argument(lua_State* L, int idx, const char* method) {
  std::string_view field;
  if (!raw_string(L, idx, field))
    throw std::invalid_argument(fmt::format("{}: field must be a string such as \"close\", got {}",
                                            method, describe_value(L, idx)));
  return field;
}

template <auto CtxOf>
int now(lua_State* L) {
  lua_pushnumber(L, static_cast<double>(CtxOf(L, "ctx:now").now()));
  return 1;
}

template <auto CtxOf>
int cash(lua_State* L) {
  lua_pushnumber(L, CtxOf(L, "ctx:cash").cash());
  return 1;
}

template <auto CtxOf>
int equity(lua_State* L) {
  lua_pushnumber(L, CtxOf(L, "ctx:equity").equity());
  return 1;
}

template <auto CtxOf>
int position(lua_State* L) {
  const auto& ctx = CtxOf(L, "ctx:position");
  lua_pushnumber(L, ctx.position(symbol_argument(L, 2, ctx, "ctx:position")));
  return 1;
}

template <auto CtxOf>
int symbol(lua_State* L) {
  const auto& ctx = CtxOf(L, "ctx:symbol");
  std::string_view name;
  if (!raw_string(L, 2, name)) throw std::invalid_argument("ctx:symbol: name must be a string");
  const SymbolId id = ctx.symbol(name);
  if (id == kNoSymbol) throw std::invalid_argument(fmt::format("ctx:symbol: unknown symbol '{}'", name));
  lua_pushnumber(L, id);
  return 1;
}

template <auto CtxOf>
int symbol_name(lua_State* L) {
  const auto& ctx = CtxOf(L, "ctx:symbol_name");
  const std::string& name = ctx.symbol_name(to_symbol_handle(L, 2, "ctx:symbol_name"));
  lua_pushlstring(L, name.data(), name.size());
  return 1;
}

// ctx:value(sym, field, ago = 0): the field `ago` bars back, NaN when not held.
template <auto CtxOf>
int value(lua_State* L) {
  constexpr const char* kMethod = "ctx:value";
  const auto& ctx = CtxOf(L, kMethod);
  const SymbolId sym = symbol_argument(L, 2, ctx, kMethod);
  const std::string_view field = field_argument(L, 3, kMethod);
  const int ago = opt_argument(L, 4, 0, [&] { return integer_argument(L, 4, 0, 999999, kMethod, "ago"); });
  lua_pushnumber(L, ctx.value(sym, field, ago));
  return 1;
}

// ctx:log(level, ...): the message goes to spdlog prefixed with the caller's file:line.
template <auto CtxOf>
int log(lua_State* L) {
  auto& ctx = CtxOf(L, "ctx:log");
  const LogLevel level = parse_log_level(L, 2, "ctx:log");
  const std::string where = lua_location(L, 1);
  const std::string text = join_arguments(L, 3);
  ctx.log(level, where.empty() ? text : where + " " + text);
  return 0;
}

// ctx:keep_history(n): keep at least n bars of every symbol from now on
// (call in on_init so that history windows are full from the first bar on).
template <auto CtxOf>
int keep_history(lua_State* L) {
  constexpr const char* kMethod = "ctx:keep_history";
  auto& ctx = CtxOf(L, kMethod);
  ctx.keep_history(static_cast<int>(integer_argument(L, 2, 1, 999999, kMethod, "n")));
  return 0;
}

}  // namespace qtrader::shared_ctx
