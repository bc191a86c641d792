// The research methods of a strategy's ctx (docs/lua-api.md): ctx:signal
// (signal_ctx_method.cpp) and ctx:optimize (optimize_ctx_method.cpp). Bound
// through lj_cfunc in strategy_ctx_binding.cpp's method table.
#pragma once

#include <lua.hpp>

#include "strategy_ctx_binding.hpp"

namespace qtrader::research_ctx {

// The binding behind a strategy ctx method's `self` (a retired ctx throws).
StrategyBinding& binding_of(lua_State* L, const char* method);

// ctx:signal(name, sym): the latest value of a model signal available now, or nil.
int signal(lua_State* L);
// ctx:optimize{method=, symbols=, lookback=, covariance=, bounds=, risk_aversion=}:
// {[sym] = weight}.
int optimize(lua_State* L);

}  // namespace qtrader::research_ctx
