// ctx:optimize{...} (docs/lua-api.md "Portfolio optimisation"): reads the
// table, takes the symbols' close-to-close returns from the bar history and
// hands them to engine/src/optimize, which knows nothing of Lua.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "lua_raw.hpp"
#include "optimize/portfolio_optimizer.hpp"
#include "research_ctx_methods.hpp"
#include "shared_ctx_methods.hpp"
#include "userdata_support.hpp"

namespace qtrader::research_ctx {

namespace {

constexpr const char* kMethod = "ctx:optimize";

struct OptimizeRequest {
  std::string method;
  std::vector<SymbolId> symbols;
  int lookback = 60;
  std::string covariance = "sample";
  optimize::Bounds bounds;
  bool bounds_given = false;
  double risk_aversion = 1.0;
};

[[noreturn]] void bad(const std::string& what) { throw std::invalid_argument(fmt::format("{}: {}", kMethod, what)); }

double finite_number(lua_State* L, int idx, const char* key) {
  double v = 0;
  if (!raw_number(L, idx, v) || !std::isfinite(v))
    bad(fmt::format("{} must be a finite number, got {}", key, describe_value(L, idx)));
  return v;
}

// Reads the argument table (stack index 2); `keys` gets the symbols' Lua keys (index 3).
OptimizeRequest read_request(lua_State* L, const StrategyContext& ctx) {
  if (lua_type(L, 2) != LUA_TTABLE) bad("expects a table {method=, symbols=, lookback=, ...}");
  OptimizeRequest req;
  bool have_symbols = false;
  lua_settop(L, 2);
  lua_newtable(L);  // 3: the symbols as given, to key the result
  lua_pushnil(L);
  while (lua_next(L, 2) != 0) {  // stack: ctx, t, keys, key, value
    std::string_view key;
    if (!raw_string(L, 4, key)) bad(fmt::format("unexpected key {}", describe_value(L, 4)));
    if (key == "method") {
      std::string_view m;
      if (!raw_string(L, 5, m) || (m != "min_variance" && m != "mean_variance" && m != "risk_parity" &&
                                   m != "max_diversification"))
        bad(fmt::format("method must be \"min_variance\", \"mean_variance\", \"risk_parity\" or "
                        "\"max_diversification\", got {}", describe_value(L, 5)));
      req.method.assign(m);
    } else if (key == "symbols") {
      if (lua_type(L, 5) != LUA_TTABLE) bad("symbols must be a list of symbols");
      const int n = static_cast<int>(lua_objlen(L, 5));
      if (n < 1 || n > 500) bad("symbols must list 1 to 500 symbols");
      for (int i = 1; i <= n; ++i) {
        lua_rawgeti(L, 5, i);
        const SymbolId s = symbol_argument(L, lua_gettop(L), ctx, kMethod);
        for (SymbolId seen : req.symbols)
          if (seen == s) bad(fmt::format("{} is listed twice in symbols", ctx.symbol_name(s)));
        req.symbols.push_back(s);
        lua_rawseti(L, 3, i);
      }
      have_symbols = true;
    } else if (key == "lookback") {
      const double v = finite_number(L, 5, "lookback");
      if (v != std::floor(v) || v < 2 || v > 100000) bad("lookback must be an integer from 2 to 100000");
      req.lookback = static_cast<int>(v);
    } else if (key == "covariance") {
      std::string_view c;
      if (!raw_string(L, 5, c) || (c != "sample" && c != "ledoit_wolf"))
        bad(fmt::format("covariance must be \"sample\" or \"ledoit_wolf\", got {}", describe_value(L, 5)));
      req.covariance.assign(c);
    } else if (key == "bounds") {
      if (lua_type(L, 5) != LUA_TTABLE || lua_objlen(L, 5) != 2) bad("bounds must be {lower, upper}");
      lua_rawgeti(L, 5, 1);
      req.bounds.lower = finite_number(L, lua_gettop(L), "bounds[1]");
      lua_rawgeti(L, 5, 2);
      req.bounds.upper = finite_number(L, lua_gettop(L), "bounds[2]");
      lua_pop(L, 2);
      if (req.bounds.lower < 0 || req.bounds.upper > 1 || req.bounds.lower > req.bounds.upper)
        bad("bounds must satisfy 0 <= lower <= upper <= 1 (long-only)");
      req.bounds_given = true;
    } else if (key == "risk_aversion") {
      req.risk_aversion = finite_number(L, 5, "risk_aversion");
      if (!(req.risk_aversion > 0)) bad("risk_aversion must be > 0");
    } else {
      bad(fmt::format("unknown field '{}' (expected method, symbols, lookback, covariance, bounds, "
                      "risk_aversion)", key));
    }
    lua_pop(L, 1);
  }
  if (req.method.empty()) bad("method is required");
  if (!have_symbols) bad("symbols is required");
  if (req.bounds_given && (req.method == "risk_parity" || req.method == "max_diversification") &&
      (req.bounds.lower != 0.0 || req.bounds.upper != 1.0))
    bad(fmt::format("{} takes no bounds other than {{0, 1}}", req.method));
  return req;
}

}  // namespace

int optimize(lua_State* L) {
  StrategyBinding& b = binding_of(L, kMethod);
  const OptimizeRequest req = read_request(L, *b.ctx);
  // The last lookback close-to-close returns over the times at which every
  // symbol has a bar: symbols with gaps, late listings or other calendars line
  // up by time, never by position. Each symbol's history is read over twice
  // the lookback, so a few missing bars still leave lookback + 1 common times.
  const int window = 2 * (req.lookback + 1);
  std::vector<std::vector<double>> times(req.symbols.size()), closes(req.symbols.size());
  std::vector<double> common;
  for (std::size_t i = 0; i < req.symbols.size(); ++i) {
    b.ctx->history(req.symbols[i], "ts", window, times[i]);
    b.ctx->history(req.symbols[i], "close", window, closes[i]);
    if (i == 0) {
      common = times[0];
    } else {
      std::vector<double> both;
      std::set_intersection(common.begin(), common.end(), times[i].begin(), times[i].end(),
                            std::back_inserter(both));
      common.swap(both);
    }
  }
  if (common.size() < static_cast<std::size_t>(req.lookback) + 1) {
    lua_pushnil(L);  // not enough history at common times yet
    return 1;
  }
  common.erase(common.begin(), common.end() - (req.lookback + 1));
  optimize::ReturnTable returns;
  returns.periods = static_cast<std::size_t>(req.lookback);
  returns.assets = req.symbols.size();
  returns.values.assign(returns.periods * returns.assets, 0.0);
  for (std::size_t i = 0; i < req.symbols.size(); ++i) {
    // The closes at the common times (both lists ascend).
    std::size_t at = 0;
    double previous = 0.0;
    for (std::size_t t = 0; t < common.size(); ++t) {
      while (times[i][at] != common[t]) ++at;
      const double close = closes[i][at];
      if (t > 0) returns.values[(t - 1) * returns.assets + i] = close / previous - 1.0;
      previous = close;
    }
  }
  optimize::Solution sol;
  try {
    const optimize::Covariance cov =
        req.covariance == "ledoit_wolf" ? optimize::ledoit_wolf(returns) : optimize::sample_covariance(returns);
    if (req.method == "min_variance") sol = optimize::min_variance(cov, req.bounds);
    else if (req.method == "mean_variance")
      sol = optimize::mean_variance(cov, optimize::mean_returns(returns), req.risk_aversion, req.bounds);
    else if (req.method == "risk_parity") sol = optimize::risk_parity(cov);
    else sol = optimize::max_diversification(cov);
  } catch (const std::invalid_argument& e) {
    bad(e.what());
  }
  lua_createtable(L, 0, static_cast<int>(req.symbols.size()));
  for (std::size_t i = 0; i < req.symbols.size(); ++i) {
    lua_rawgeti(L, 3, static_cast<int>(i + 1));  // the symbol as the script gave it
    lua_pushnumber(L, sol.weights[i]);
    lua_rawset(L, -3);
  }
  return 1;
}

}  // namespace qtrader::research_ctx
