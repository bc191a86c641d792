#include "risk_ctx_binding.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "host_state.hpp"
#include "lua_raw.hpp"
#include "trampoline.hpp"
#include "userdata_support.hpp"

namespace qtrader {

namespace {

RiskContext& ctx_of(lua_State* L, const char* method) {
  auto& ud = check_self<RiskCtxUserdata>(L, method);
  if (!ud.binding || ud.generation != host_state_of(L)->generation) throw_retired(method);
  return *ud.binding->ctx;
}

double number_argument(lua_State* L, int idx, const char* method, const char* what) {
  double v = 0;
  if (!raw_number(L, idx, v) || !std::isfinite(v))
    throw std::invalid_argument(fmt::format("{}: {} must be a finite number, got {}", method, what,
                                            describe_value(L, idx)));
  return v;
}

int risk_now(lua_State* L) {
  lua_pushnumber(L, static_cast<double>(ctx_of(L, "ctx:now").now()));
  return 1;
}

int risk_position(lua_State* L) {
  const auto& ctx = ctx_of(L, "ctx:position");
  lua_pushnumber(L, ctx.position(symbol_argument(L, 2, ctx, "ctx:position")));
  return 1;
}

int risk_price(lua_State* L) {
  const auto& ctx = ctx_of(L, "ctx:price");
  lua_pushnumber(L, ctx.price(symbol_argument(L, 2, ctx, "ctx:price")));
  return 1;
}

int risk_cash(lua_State* L) {
  lua_pushnumber(L, ctx_of(L, "ctx:cash").cash());
  return 1;
}

int risk_equity(lua_State* L) {
  lua_pushnumber(L, ctx_of(L, "ctx:equity").equity());
  return 1;
}

// ctx:commission(sym, quantity, price)
int risk_commission(lua_State* L) {
  constexpr const char* kMethod = "ctx:commission";
  const auto& ctx = ctx_of(L, kMethod);
  const SymbolId sym = symbol_argument(L, 2, ctx, kMethod);
  const double qty = number_argument(L, 3, kMethod, "quantity");
  const double price = number_argument(L, 4, kMethod, "price");
  lua_pushnumber(L, ctx.commission(sym, qty, price));
  return 1;
}

int risk_symbol(lua_State* L) {
  const auto& ctx = ctx_of(L, "ctx:symbol");
  std::string_view name;
  if (!raw_string(L, 2, name)) throw std::invalid_argument("ctx:symbol: name must be a string");
  const SymbolId id = ctx.symbol(name);
  if (id == kNoSymbol) throw std::invalid_argument(fmt::format("ctx:symbol: unknown symbol '{}'", name));
  lua_pushnumber(L, id);
  return 1;
}

int risk_symbol_name(lua_State* L) {
  const auto& ctx = ctx_of(L, "ctx:symbol_name");
  const std::string& name = ctx.symbol_name(to_symbol_handle(L, 2, "ctx:symbol_name"));
  lua_pushlstring(L, name.data(), name.size());
  return 1;
}

std::string_view field_argument(lua_State* L, int idx, const char* method) {
  std::string_view field;
  if (!raw_string(L, idx, field))
    throw std::invalid_argument(fmt::format("{}: field must be a string such as \"close\", got {}",
                                            method, describe_value(L, idx)));
  return field;
}

int count_argument(lua_State* L, int idx, double lo, const char* method, const char* what) {
  double v = 0;
  if (!raw_number(L, idx, v) || v != std::floor(v) || v < lo || v > 999999)
    throw std::invalid_argument(fmt::format("{}: {} must be an integer in [{}, 999999], got {}", method,
                                            what, lo, describe_value(L, idx)));
  return static_cast<int>(v);
}

// ctx:value(sym, field, ago = 0), as for strategies: bars up to now(), NaN when not held.
int risk_value(lua_State* L) {
  constexpr const char* kMethod = "ctx:value";
  const auto& ctx = ctx_of(L, kMethod);
  const SymbolId sym = symbol_argument(L, 2, ctx, kMethod);
  const std::string_view field = field_argument(L, 3, kMethod);
  const int ago = lua_isnoneornil(L, 4) ? 0 : count_argument(L, 4, 0, kMethod, "ago");
  lua_pushnumber(L, ctx.value(sym, field, ago));
  return 1;
}

// ctx:history(sym, field, n): array of the last n values, oldest first.
int risk_history(lua_State* L) {
  constexpr const char* kMethod = "ctx:history";
  auto& ud = check_self<RiskCtxUserdata>(L, kMethod);
  if (!ud.binding || ud.generation != host_state_of(L)->generation) throw_retired(kMethod);
  RiskBinding& b = *ud.binding;
  const SymbolId sym = symbol_argument(L, 2, *b.ctx, kMethod);
  const std::string_view field = field_argument(L, 3, kMethod);
  const int n = count_argument(L, 4, 1, kMethod, "n");
  b.ctx->history(sym, field, n, b.scratch);
  lua_createtable(L, static_cast<int>(b.scratch.size()), 0);
  for (std::size_t i = 0; i < b.scratch.size(); ++i) {
    lua_pushnumber(L, b.scratch[i]);
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  return 1;
}

int risk_log(lua_State* L) {
  auto& ctx = ctx_of(L, "ctx:log");
  const LogLevel level = parse_log_level(L, 2, "ctx:log");
  std::string where = lua_location(L, 1);
  std::string text = join_arguments(L, 3);
  ctx.log(level, where.empty() ? text : where + " " + text);
  return 0;
}

// ctx:keep_history(n): keep at least n bars of every symbol from now on
// (call in on_init so that history windows are full from the first bar on).
int risk_keep_history(lua_State* L) {
  constexpr const char* kMethod = "ctx:keep_history";
  auto& ctx = ctx_of(L, kMethod);
  double v = 0;
  if (!raw_number(L, 2, v) || v != std::floor(v) || v < 1 || v > 999999)
    throw std::invalid_argument(fmt::format("{}: n must be an integer in [1, 999999], got {}", kMethod,
                                            describe_value(L, 2)));
  ctx.keep_history(static_cast<int>(v));
  return 0;
}

const luaL_Reg kRiskMethods[] = {{"now", lj_cfunc<risk_now>},
                                 {"position", lj_cfunc<risk_position>},
                                 {"price", lj_cfunc<risk_price>},
                                 {"cash", lj_cfunc<risk_cash>},
                                 {"equity", lj_cfunc<risk_equity>},
                                 {"commission", lj_cfunc<risk_commission>},
                                 {"symbol", lj_cfunc<risk_symbol>},
                                 {"symbol_name", lj_cfunc<risk_symbol_name>},
                                 {"log", lj_cfunc<risk_log>},
                                 {"value", lj_cfunc<risk_value>},
                                 {"history", lj_cfunc<risk_history>},
                                 {"keep_history", lj_cfunc<risk_keep_history>},
                                 {nullptr, nullptr}};

}  // namespace

RiskCtxUserdata* push_risk_ctx(lua_State* L, RiskBinding* binding) {
  auto* ud = static_cast<RiskCtxUserdata*>(lua_newuserdata(L, sizeof(RiskCtxUserdata)));
  *ud = {binding, host_state_of(L)->generation};
  push_userdata_metatable(L, host_state_of(L)->risk_ctx_mt_ref, kRiskMethods);
  lua_setmetatable(L, -2);
  return ud;
}

}  // namespace qtrader
