// The strategy-side Lua objects: `ctx` (one per strategy), indicator handles
// and the reused bar view.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <lua.hpp>

#include "qtrader/indicators.hpp"
#include "qtrader/script_api.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

// Owned by a StrategyScript; the ctx userdata points here until the script dies.
struct StrategyBinding {
  StrategyContext* ctx = nullptr;
  std::string script;
  int signals = 0;  // emitted in the current callback
  int max_signals = 0;
  std::vector<double> scratch;  // ctx:history's buffer, reused
};

struct StrategyCtxUserdata {
  StrategyBinding* binding;  // nullptr once the StrategyScript is destroyed
  std::uint64_t generation;
};

// Pushes a new ctx userdata bound to `binding`.
StrategyCtxUserdata* push_strategy_ctx(lua_State* L, StrategyBinding* binding);
// Pushes the bar view userdata; the caller overwrites *result before each on_bar.
Bar* push_bar_view(lua_State* L);
// Pushes an indicator handle.
void push_indicator(lua_State* L, const Indicator* indicator);

}  // namespace qtrader
