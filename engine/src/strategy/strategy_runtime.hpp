// What the strategy service needs from one strategy instance (a Lua script in practice).
#pragma once

#include <span>
#include <string>

#include "qtrader/events.hpp"
#include "qtrader/script_api.hpp"

namespace qtrader {

class StrategyRuntime {
 public:
  virtual ~StrategyRuntime() = default;
  // Each throws ScriptError when the script fails.
  virtual void on_init() = 0;
  virtual void on_bar(const Bar&) = 0;
  // A bar of one of the strategy's subscriptions: `timeframe` is "5m", "1h",
  // ... for consolidated bars, the source's bar_size ("" if undeclared) for
  // source bars. Runtimes that do not tell timeframes apart get on_bar.
  virtual void on_bar_of(const Bar& bar, const std::string& /*timeframe*/) { on_bar(bar); }
  // A runtime that takes slices gets the bars of its universe subscriptions
  // in one on_slice per timestamp (in symbol order) instead of one on_bar
  // each; the bars of ctx:subscribe still come through on_bar_of.
  virtual bool takes_slices() const { return false; }
  virtual void on_slice(Timestamp /*ts*/, std::span<const Bar> /*bars*/) {}
  virtual void on_fill(const FillEvent&) = 0;
  // Trade ticks (docs/data.md "Ticks to strategies"): only a runtime that
  // wants them (a script with on_tick) gets on_tick.
  virtual bool wants_ticks() const { return false; }
  virtual void on_tick(const Tick&) {}
  // An order of this strategy was accepted, rejected or changed state.
  virtual void on_order(const OrderNotice&) {}
  virtual void on_stop() = 0;
  // Checkpoints (docs/checkpoints.md): the script's ctx.state as JSON, ""
  // for a runtime that keeps none; throws ScriptError when it is not plain data.
  virtual std::string save_state() { return {}; }
  // A resumed run: ctx.state back from save_state()'s text, then on_resume.
  virtual void resume(const std::string& /*state_json*/) {}
};

}  // namespace qtrader
