#include "qtrader/lua/strategy_script.hpp"

#include <cmath>

#include <fmt/format.h>
#include <lua.hpp>

#include "host_state.hpp"
#include "lua_raw.hpp"
#include "qtrader/errors.hpp"
#include "script_module.hpp"
#include "strategy_ctx_binding.hpp"

namespace qtrader {

StrategyScript::StrategyScript(ScriptHost& host, const std::string& path, StrategyContext& ctx,
                               const ParamMap& overrides, std::string_view config_key)
    : host_(host), path_(path), binding_(std::make_unique<StrategyBinding>()) {
  lua_State* L = host.state();
  const int top = lua_gettop(L);
  try {
    host.load_file(path);  // stack: module
    LoadedHeader header = check_loaded_header(L, -1, path, ScriptKind::Strategy,
                                              "this script is a risk policy, not a strategy", overrides,
                                              config_key);
    name_ = std::move(header.name);
    params_ = std::move(header.params);

    const int module = lua_gettop(L);
    on_init_ = function_ref(L, module, "on_init", false, path);
    on_slice_ = function_ref(L, module, "on_slice", false, path);
    on_bar_ = function_ref(L, module, "on_bar", !on_slice_, path);
    on_tick_ = function_ref(L, module, "on_tick", false, path);
    on_fill_ = function_ref(L, module, "on_fill", false, path);
    on_order_ = function_ref(L, module, "on_order", false, path);
    on_stop_ = function_ref(L, module, "on_stop", false, path);
    on_resume_ = function_ref(L, module, "on_resume", false, path);
    module_ = LuaRef::pop(L);

    binding_->ctx = &ctx;
    binding_->script = path;
    binding_->max_signals = host.limits().max_signals_per_callback;
    push_strategy_ctx(L, binding_.get());
    ctx_ = LuaRef::pop(L);
    bar_view_ = push_bar_view(L);
    bar_ = LuaRef::pop(L);
    if (on_tick_) {
      tick_view_ = push_tick_view(L);
      tick_ = LuaRef::pop(L);
    }
    push_params(L, params_);
    params_table_ = LuaRef::pop(L);
    if (on_slice_)
      binding_->slice = std::make_unique<SliceBinding>(L, static_cast<int>(ctx.universe().size()));
  } catch (...) {
    lua_settop(L, top);  // the refs taken so far are released by their destructors
    throw;
  }
}

StrategyScript::~StrategyScript() { detach_ctx<StrategyCtxUserdata>(host_.state(), ctx_); }

void StrategyScript::push_callback(const LuaRef& callback) {
  lua_State* L = host_.state();
  binding_->signals = 0;
  callback.push(L);
  ctx_.push(L);
}

void StrategyScript::on_init() {
  if (!on_init_) return;
  push_callback(on_init_);
  params_table_.push(host_.state());
  host_.call(2, 0, path_, "on_init", host_.limits().init_seconds);
}

void StrategyScript::on_bar(const Bar& bar, std::string_view timeframe) {
  if (!on_bar_)  // a script with on_slice only, which used ctx:subscribe
    throw ScriptError(ScriptError::Kind::Runtime, path_, "on_bar",
                      "the bars of ctx:subscribe come through on_bar, which this script does not define "
                      "(on_slice gets only the universe's bars)");
  push_callback(on_bar_);
  bar_.push(host_.state());
  bar_view_->bar = bar;
  bar_view_->set_timeframe(timeframe);
  host_.call(2, 0, path_, "on_bar", host_.limits().callback_seconds);
}

void StrategyScript::on_slice(Timestamp ts, std::span<const Bar> bars) {
  lua_State* L = host_.state();
  SliceBinding& slice = *binding_->slice;
  slice.open(L, ts, bars);
  // Emptied however the call ends, so nothing of this timestamp outlives it.
  struct Close {
    SliceBinding& slice;
    lua_State* L;
    ~Close() { slice.close(L); }
  } close{slice, L};
  push_callback(on_slice_);
  slice.push(L);
  host_.call(2, 0, path_, "on_slice", host_.limits().callback_seconds);
}

// The one reused tick userdata, as the bar's: no allocation per tick.
void StrategyScript::on_tick(const Tick& tick) {
  if (!on_tick_) return;
  push_callback(on_tick_);
  tick_.push(host_.state());
  tick_view_->tick = tick;
  host_.call(2, 0, path_, "on_tick", host_.limits().callback_seconds);
}

void StrategyScript::on_fill(const FillEvent& fill) {
  if (!on_fill_) return;
  lua_State* L = host_.state();
  push_callback(on_fill_);
  lua_createtable(L, 0, 8);
  set_number(L, -1, "order_id", static_cast<double>(fill.order_id));
  set_number(L, -1, "symbol", fill.symbol);
  set_string(L, -1, "side", to_string(fill.side));
  set_number(L, -1, "quantity", fill.quantity);
  set_number(L, -1, "price", fill.price);
  set_number(L, -1, "commission", fill.commission);
  set_number(L, -1, "ts", static_cast<double>(fill.ts));
  if (fill.origin != OrderEvent::Origin::Strategy) set_string(L, -1, "origin", origin_name(fill.origin));
  host_.call(2, 0, path_, "on_fill", host_.limits().callback_seconds);
}

// Built field by field like on_fill's table above: the two events carry
// different fields.
// event: {status, signal_id, symbol, ts, order_id?, side?, quantity?,
// filled_quantity?, remaining_quantity?, reason?}; absent fields are nil.
void StrategyScript::on_order(const OrderNotice& n) {
  if (!on_order_) return;
  lua_State* L = host_.state();
  push_callback(on_order_);
  lua_createtable(L, 0, 10);
  set_string(L, -1, "status", n.status);
  set_number(L, -1, "signal_id", static_cast<double>(n.signal_id));
  set_number(L, -1, "symbol", n.symbol);
  set_number(L, -1, "ts", static_cast<double>(n.ts));
  if (n.order_id != 0) set_number(L, -1, "order_id", static_cast<double>(n.order_id));
  if (n.has_side) set_string(L, -1, "side", to_string(n.side));
  if (!std::isnan(n.quantity)) set_number(L, -1, "quantity", n.quantity);
  if (!std::isnan(n.filled_quantity)) set_number(L, -1, "filled_quantity", n.filled_quantity);
  if (!std::isnan(n.remaining_quantity)) set_number(L, -1, "remaining_quantity", n.remaining_quantity);
  if (!n.reason.empty()) set_string(L, -1, "reason", n.reason);
  host_.call(2, 0, path_, "on_order", host_.limits().callback_seconds);
}

void StrategyScript::on_stop() {
  if (!on_stop_) return;
  push_callback(on_stop_);
  host_.call(1, 0, path_, "on_stop", host_.limits().callback_seconds);
}

std::string StrategyScript::save_state() { return save_ctx_state(host_.state(), ctx_, path_); }

void StrategyScript::resume(const std::string& state_json) {
  restore_ctx_state(host_.state(), ctx_, path_, state_json);
  if (!on_resume_) return;
  push_callback(on_resume_);
  host_.call(1, 0, path_, "on_resume", host_.limits().callback_seconds);
}

std::unique_ptr<StrategyScript> load_strategy(ScriptHost& host, const RegistryEntry& entry,
                                              StrategyContext& ctx, const ParamMap& overrides,
                                              std::string_view config_key) {
  if (!entry.load_error.empty())
    throw ScriptError(ScriptError::Kind::Load, entry.path, "", entry.load_error);
  return std::make_unique<StrategyScript>(host, entry.path, ctx, overrides, config_key);
}

}  // namespace qtrader
