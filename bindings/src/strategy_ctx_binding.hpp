// The strategy-side Lua objects: `ctx` (one per strategy), indicator handles
// and the reused bar view.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <lua.hpp>

#include "qtrader/indicators.hpp"
#include "qtrader/script_api.hpp"
#include "qtrader/types.hpp"
#include "slice_binding.hpp"

namespace qtrader {

// Owned by a StrategyScript; the ctx userdata points here until the script dies.
struct StrategyBinding {
  StrategyContext* ctx = nullptr;
  std::string script;
  int signals = 0;  // emitted in the current callback
  int max_signals = 0;
  std::vector<double> scratch;  // ctx:history's buffer, reused
  std::unique_ptr<SliceBinding> slice;  // scripts with on_slice: the slice and ctx:indicators' sets
};

struct StrategyCtxUserdata {
  StrategyBinding* binding;  // nullptr once the StrategyScript is destroyed
  std::uint64_t generation;
};

// Pushes a new ctx userdata bound to `binding`.
StrategyCtxUserdata* push_strategy_ctx(lua_State* L, StrategyBinding* binding);
// The reused bar view: the bar and the name of its timeframe ("5m", "1h",
// ...; the source's bar_size, "" when undeclared), copied in before each on_bar.
struct BarView {
  Bar bar;
  const char* const* keys;  // HostState::bar_keys, cached to skip a lookup per read
  char timeframe[8];        // NUL-terminated; timeframe names are at most 6 characters
  void set_timeframe(std::string_view name) noexcept;
};
// Pushes the bar view userdata; the caller overwrites it before each on_bar.
BarView* push_bar_view(lua_State* L);
// The reused tick view: the tick copied in before each on_tick.
struct TickView {
  Tick tick;
  const char* const* keys;  // HostState::bar_keys
};
// Pushes the tick view userdata; the caller overwrites it before each on_tick.
TickView* push_tick_view(lua_State* L);
// Pushes an indicator handle.
void push_indicator(lua_State* L, const Indicator* indicator);

}  // namespace qtrader
