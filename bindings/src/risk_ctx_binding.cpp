#include "risk_ctx_binding.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "host_state.hpp"
#include "lua_raw.hpp"
#include "trampoline.hpp"
#include "shared_ctx_methods.hpp"
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

int risk_price(lua_State* L) {
  const auto& ctx = ctx_of(L, "ctx:price");
  lua_pushnumber(L, ctx.price(symbol_argument(L, 2, ctx, "ctx:price")));
  return 1;
}

// ctx:multiplier(sym): a future's contract multiplier, 1 for shares.
int risk_multiplier(lua_State* L) {
  const auto& ctx = ctx_of(L, "ctx:multiplier");
  lua_pushnumber(L, ctx.multiplier(symbol_argument(L, 2, ctx, "ctx:multiplier")));
  return 1;
}

// ctx:is_future(sym): a futures contract or a continuous future.
int risk_is_future(lua_State* L) {
  const auto& ctx = ctx_of(L, "ctx:is_future");
  lua_pushboolean(L, ctx.is_future(symbol_argument(L, 2, ctx, "ctx:is_future")));
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

int count_argument(lua_State* L, int idx, double lo, const char* method, const char* what) {
  double v = 0;
  if (!raw_number(L, idx, v) || v != std::floor(v) || v < lo || v > 999999)
    throw std::invalid_argument(fmt::format("{}: {} must be an integer in [{}, 999999], got {}", method,
                                            what, lo, describe_value(L, idx)));
  return static_cast<int>(v);
}

// ctx:history(sym, field, n): array of the last n values, oldest first.
int risk_history(lua_State* L) {
  constexpr const char* kMethod = "ctx:history";
  auto& ud = check_self<RiskCtxUserdata>(L, kMethod);
  if (!ud.binding || ud.generation != host_state_of(L)->generation) throw_retired(kMethod);
  RiskBinding& b = *ud.binding;
  const SymbolId sym = symbol_argument(L, 2, *b.ctx, kMethod);
  const std::string_view field = shared_ctx::field_argument(L, 3, kMethod);
  const int n = count_argument(L, 4, 1, kMethod, "n");
  b.ctx->history(sym, field, n, b.scratch);
  lua_createtable(L, static_cast<int>(b.scratch.size()), 0);
  for (std::size_t i = 0; i < b.scratch.size(); ++i) {
    lua_pushnumber(L, b.scratch[i]);
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  return 1;
}

const luaL_Reg kRiskMethods[] = {{"now", lj_cfunc<shared_ctx::now<&ctx_of>>},
                                 {"position", lj_cfunc<shared_ctx::position<&ctx_of>>},
                                 {"price", lj_cfunc<risk_price>},
                                 {"multiplier", lj_cfunc<risk_multiplier>},
                                 {"is_future", lj_cfunc<risk_is_future>},
                                 {"cash", lj_cfunc<shared_ctx::cash<&ctx_of>>},
                                 {"equity", lj_cfunc<shared_ctx::equity<&ctx_of>>},
                                 {"commission", lj_cfunc<risk_commission>},
                                 {"symbol", lj_cfunc<shared_ctx::symbol<&ctx_of>>},
                                 {"symbol_name", lj_cfunc<shared_ctx::symbol_name<&ctx_of>>},
                                 {"log", lj_cfunc<shared_ctx::log<&ctx_of>>},
                                 {"value", lj_cfunc<shared_ctx::value<&ctx_of>>},
                                 {"history", lj_cfunc<risk_history>},
                                 {"keep_history", lj_cfunc<shared_ctx::keep_history<&ctx_of>>},
                                 {nullptr, nullptr}};

}  // namespace

RiskCtxUserdata* push_risk_ctx(lua_State* L, RiskBinding* binding) {
  const bool fresh = host_state_of(L)->risk_ctx_mt_ref == LUA_NOREF;
  auto* ud = push_ctx_userdata<RiskCtxUserdata>(L, binding, &HostState::risk_ctx_mt_ref, kRiskMethods);
  add_ctx_state(L, fresh);  // a risk policy keeps its state as a strategy does
  return ud;
}

}  // namespace qtrader
