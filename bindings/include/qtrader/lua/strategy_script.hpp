// One strategy script loaded into a run's ScriptHost, bound to the engine's
// StrategyContext. The file returns a table:
//   { name=, kind="strategy", description=, params={...},
//     on_init=function(ctx, params) (optional), on_bar=function(ctx, bar) (required
//     unless on_slice is given), on_slice=function(ctx, slice) (optional: one
//     call per timestamp with the universe's bars; on_bar then gets only the
//     bars of ctx:subscribe),
//     on_tick=function(ctx, tick) (optional: trade ticks, docs/data.md "Ticks to strategies"),
//     on_fill=function(ctx, fill) (optional), on_order=function(ctx, event) (optional),
//     on_stop=function(ctx) (optional), on_resume=function(ctx) (optional) }
// See docs/lua-api.md for the ctx, bar, indicator and event objects.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "qtrader/config.hpp"
#include "qtrader/events.hpp"
#include "qtrader/lua/lua_ref.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/script_params.hpp"
#include "qtrader/lua/script_registry.hpp"
#include "qtrader/script_api.hpp"

namespace qtrader {

struct StrategyBinding;  // bindings/src/strategy_ctx_binding.hpp
struct BarView;
struct TickView;

class StrategyScript {
 public:
  // Loads `path` into `host` and resolves its params against `overrides`.
  // ScriptError(Load) for a script that fails to compile or run, is not a
  // strategy or lacks on_bar; ConfigError for an unknown or mistyped param.
  StrategyScript(ScriptHost& host, const std::string& path, StrategyContext& ctx,
                 const ParamMap& overrides, std::string_view config_key = "config");
  ~StrategyScript();
  StrategyScript(const StrategyScript&) = delete;
  StrategyScript& operator=(const StrategyScript&) = delete;

  // Each goes through the host's gate and throws ScriptError on failure.
  void on_init();
  // `timeframe`: what bar.timeframe reads ("5m", ...; "" for undeclared source bars).
  void on_bar(const Bar& bar, std::string_view timeframe = {});
  // One call per timestamp with the bars of the universe (scripts that
  // define on_slice; docs/writing-a-strategy.md "One call per timestamp").
  bool has_on_slice() const noexcept { return static_cast<bool>(on_slice_); }
  void on_slice(Timestamp ts, std::span<const Bar> bars);
  // A trade tick; only for scripts that define on_tick (has_on_tick()).
  void on_tick(const Tick& tick);
  bool has_on_tick() const noexcept { return static_cast<bool>(on_tick_); }
  void on_fill(const FillEvent& fill);
  void on_order(const OrderNotice& event);  // accepted, rejected, filled, cancelled, expired
  void on_stop();
  // ctx.state as JSON (plain_state.hpp), for a checkpoint: ScriptError naming
  // the key path when it holds a function, userdata, a cycle, ...
  std::string save_state();
  // Replaces ctx.state with the checkpoint's, then calls on_resume(ctx) when
  // the script has one (its other state, upvalues and globals, starts afresh).
  void resume(const std::string& state_json);

  const std::string& name() const noexcept { return name_; }
  const std::string& path() const noexcept { return path_; }
  const ResolvedParams& params() const noexcept { return params_; }

 private:
  void push_callback(const LuaRef& callback);

  ScriptHost& host_;
  std::string path_, name_;
  ResolvedParams params_;
  std::unique_ptr<StrategyBinding> binding_;
  // Released by their destructors, after ~StrategyScript has detached the ctx.
  LuaRef module_, on_init_, on_bar_, on_slice_, on_tick_, on_fill_, on_order_, on_stop_, on_resume_;
  LuaRef ctx_, bar_, tick_, params_table_;
  BarView* bar_view_ = nullptr;    // the reused bar userdata
  TickView* tick_view_ = nullptr;  // the reused tick userdata (scripts with on_tick)
};

// Throws ScriptError(Load) with the entry's error when it failed to evaluate.
std::unique_ptr<StrategyScript> load_strategy(ScriptHost& host, const RegistryEntry& entry,
                                              StrategyContext& ctx, const ParamMap& overrides,
                                              std::string_view config_key = "config");

}  // namespace qtrader
