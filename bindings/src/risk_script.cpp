#include "qtrader/lua/risk_script.hpp"

#include <cmath>

#include <fmt/format.h>
#include <lua.hpp>

#include "lua_raw.hpp"
#include "qtrader/errors.hpp"
#include "risk_batch.hpp"
#include "risk_ctx_binding.hpp"
#include "script_module.hpp"

namespace qtrader {

namespace {

void set_optional_number(lua_State* L, const char* key, double v) {
  if (!std::isnan(v)) set_number(L, -1, key, v);  // hints not given stay nil
}

}  // namespace

RiskScript::RiskScript(ScriptHost& host, const std::string& path, RiskContext& ctx,
                       const ParamMap& overrides, std::string_view config_key)
    : host_(host), path_(path), binding_(std::make_unique<RiskBinding>()) {
  lua_State* L = host.state();
  const int top = lua_gettop(L);
  try {
    host.load_file(path);  // stack: module
    LoadedHeader header = check_loaded_header(
        L, -1, path, ScriptKind::RiskPolicy,
        "this script is a strategy, not a risk policy (set kind = \"risk_policy\")", overrides, config_key);
    name_ = std::move(header.name);
    params_ = std::move(header.params);
    const int module = lua_gettop(L);
    on_init_ = function_ref(L, module, "on_init", false, path);
    evaluate_batch_ = function_ref(L, module, "evaluate_batch", false, path);
    evaluate_ = function_ref(L, module, "evaluate", !evaluate_batch_, path);
    on_resume_ = function_ref(L, module, "on_resume", false, path);
    module_ = LuaRef::pop(L);
    binding_->ctx = &ctx;
    binding_->script = path;
    push_risk_ctx(L, binding_.get());
    ctx_ = LuaRef::pop(L);
    push_params(L, params_);
    params_table_ = LuaRef::pop(L);
    if (evaluate_batch_) {
      batch_ = std::make_unique<RiskBatch>(L, ctx);
      lua_createtable(L, 0, 4);
      portfolio_table_ = LuaRef::pop(L);
    }
  } catch (...) {
    lua_settop(L, top);  // the refs taken so far are released by their destructors
    throw;
  }
}

RiskScript::~RiskScript() { detach_ctx<RiskCtxUserdata>(host_.state(), ctx_); }

void RiskScript::on_init() {
  if (!on_init_) return;
  lua_State* L = host_.state();
  on_init_.push(L);
  ctx_.push(L);
  params_table_.push(L);
  host_.call(2, 0, path_, "on_init", host_.limits().init_seconds);
}

std::string RiskScript::save_state() { return save_ctx_state(host_.state(), ctx_, path_); }

void RiskScript::resume(const std::string& state_json) {
  lua_State* L = host_.state();
  restore_ctx_state(L, ctx_, path_, state_json);
  if (!on_resume_) return;
  on_resume_.push(L);
  ctx_.push(L);
  host_.call(1, 0, path_, "on_resume", host_.limits().callback_seconds);
}

void RiskScript::evaluate(std::span<const RiskSignal> signals, const RiskPortfolio& portfolio,
                          std::vector<RiskDecision>& out) {
  if (signals.empty()) return;
  lua_State* L = host_.state();
  if (batch_) {
    evaluate_batch(signals, portfolio, out);
    return;
  }

  const int base = lua_gettop(L);
  try {
    push_arguments(signals, portfolio);
  } catch (...) {
    lua_settop(L, base);  // e.g. symbol_name() threw for an unknown handle
    throw;
  }
  host_.call(3, 1, path_, "evaluate", host_.limits().callback_seconds);
  read_decisions(signals, out);
}

// One reused table for the batch, one for the portfolio: nothing is made per signal.
void RiskScript::evaluate_batch(std::span<const RiskSignal> signals, const RiskPortfolio& portfolio,
                                std::vector<RiskDecision>& out) {
  lua_State* L = host_.state();
  batch_->open(L, signals);
  struct Close {
    RiskBatch& batch;
    lua_State* L;
    ~Close() { batch.close(L); }
  } close{*batch_, L};
  evaluate_batch_.push(L);
  ctx_.push(L);
  batch_->push(L);
  portfolio_table_.push(L);
  set_number(L, -1, "cash", portfolio.cash);
  set_number(L, -1, "equity", portfolio.equity);
  set_number(L, -1, "gross_exposure", portfolio.gross_exposure);
  set_number(L, -1, "net_exposure", portfolio.net_exposure);
  host_.call(3, 0, path_, "evaluate_batch", host_.limits().callback_seconds);
  const std::size_t first = out.size();
  if (std::string problem = batch_->read_answers(L, out); !problem.empty()) {
    out.resize(first);
    throw ScriptError(ScriptError::Kind::Runtime, path_, "evaluate_batch", problem);
  }
}

void RiskScript::push_arguments(std::span<const RiskSignal> signals, const RiskPortfolio& portfolio) {
  lua_State* L = host_.state();
  RiskContext& ctx = *binding_->ctx;
  // stack: evaluate, ctx, signals, portfolio
  evaluate_.push(L);
  ctx_.push(L);
  lua_createtable(L, static_cast<int>(signals.size()), 0);
  for (std::size_t i = 0; i < signals.size(); ++i) {
    const RiskSignal& s = signals[i];
    lua_createtable(L, 0, 14);
    set_number(L, -1, "id", static_cast<double>(s.signal_id));
    set_string(L, -1, "strategy_id", s.strategy_id);
    set_number(L, -1, "symbol", s.symbol);
    set_string(L, -1, "symbol_name", ctx.symbol_name(s.symbol));
    set_string(L, -1, "intention", to_string(s.intention));
    set_optional_number(L, "price", s.price);
    set_optional_number(L, "confidence", s.confidence);
    set_optional_number(L, "stop_loss", s.stop_loss);
    set_optional_number(L, "take_profit", s.take_profit);
    set_optional_number(L, "quantity", s.quantity);
    if (!s.tag.empty()) set_string(L, -1, "tag", s.tag);
    // How the order will execute: sizing a limit order may use its price.
    set_string(L, -1, "order_type", to_string(s.order.type));
    set_optional_number(L, "limit_price", s.order.limit_price);
    set_optional_number(L, "stop_price", s.order.stop_price);
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
  lua_createtable(L, 0, 4);
  set_number(L, -1, "cash", portfolio.cash);
  set_number(L, -1, "equity", portfolio.equity);
  set_number(L, -1, "gross_exposure", portfolio.gross_exposure);
  set_number(L, -1, "net_exposure", portfolio.net_exposure);
}

void RiskScript::read_decisions(std::span<const RiskSignal> signals, std::vector<RiskDecision>& out) {
  lua_State* L = host_.state();

  // Validate the answer with raw access only; the script cannot run from here on.
  const int result = lua_gettop(L);
  auto fail = [&](const std::string& message) {
    lua_settop(L, result - 1);
    throw ScriptError(ScriptError::Kind::Runtime, path_, "evaluate", message);
  };
  if (lua_type(L, result) != LUA_TTABLE)
    fail(fmt::format("evaluate must return an array of decisions, it returned {}", type_name(L, result)));

  index_.clear();
  for (std::size_t i = 0; i < signals.size(); ++i) index_.emplace(signals[i].signal_id, i);
  answers_.assign(signals.size(), RiskDecision{});
  answered_.assign(signals.size(), false);

  const int n = static_cast<int>(lua_objlen(L, result));
  for (int k = 1; k <= n; ++k) {
    lua_rawgeti(L, result, k);  // stack: result, decision
    const int d = lua_gettop(L);
    if (lua_type(L, d) != LUA_TTABLE) fail(fmt::format("decision {} must be a table, got {}", k, type_name(L, d)));
    lua_pushnil(L);
    while (lua_next(L, d) != 0) {
      std::string_view key;
      if (!raw_string(L, -2, key) || (key != "signal" && key != "quantity" && key != "reject"))
        fail(fmt::format("decision {}: unknown field {} (expected signal, quantity or reject)", k,
                         describe_value(L, -2)));
      lua_pop(L, 1);
    }
    double id = 0;
    raw_field(L, d, "signal");
    if (!raw_number(L, -1, id)) fail(fmt::format("decision {}: signal must be a signal id", k));
    const auto it = id >= 0 && id == std::floor(id) && id < 0x1p63
                        ? index_.find(static_cast<std::uint64_t>(id))
                        : index_.end();
    if (it == index_.end()) fail(fmt::format("decision {}: unknown signal id {}", k, id));
    const std::size_t slot = it->second;
    if (answered_[slot]) fail(fmt::format("decision {}: signal {} already has a decision", k, id));
    lua_pop(L, 1);

    RiskDecision& answer = answers_[slot];
    answer.signal_id = signals[slot].signal_id;
    raw_field(L, d, "reject");
    raw_field(L, d, "quantity");  // stack: ..., decision, reject, quantity
    const bool has_reject = !lua_isnil(L, -2), has_quantity = !lua_isnil(L, -1);
    if (has_reject == has_quantity)
      fail(fmt::format("decision {} (signal {}): give either quantity or reject", k, id));
    if (has_reject) {
      std::string_view reason;
      if (!raw_string(L, -2, reason) || reason.empty())
        fail(fmt::format("decision {} (signal {}): reject must be a non-empty reason", k, id));
      answer.rejected = true;
      answer.reason.assign(reason);
    } else {
      double q = 0;
      if (!raw_number(L, -1, q) || !std::isfinite(q) || q <= 0)
        fail(fmt::format("decision {} (signal {}): quantity must be a finite number > 0, got {}", k, id,
                         describe_value(L, -1)));
      answer.quantity = q;
    }
    answered_[slot] = true;
    lua_settop(L, result);
  }
  lua_settop(L, result - 1);

  for (std::size_t i = 0; i < signals.size(); ++i)
    if (answered_[i]) out.push_back(std::move(answers_[i]));
}

std::unique_ptr<RiskScript> load_risk_policy(ScriptHost& host, const RegistryEntry& entry,
                                             RiskContext& ctx, const ParamMap& overrides,
                                             std::string_view config_key) {
  if (!entry.load_error.empty())
    throw ScriptError(ScriptError::Kind::Load, entry.path, "", entry.load_error);
  return std::make_unique<RiskScript>(host, entry.path, ctx, overrides, config_key);
}

}  // namespace qtrader
