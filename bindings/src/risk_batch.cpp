#include "risk_batch.hpp"

#include <cmath>

#include <fmt/format.h>

#include "lua_raw.hpp"

namespace qtrader {

namespace {

enum BatchColumn {
  kId, kStrategyId, kSymbol, kSymbolName, kIntention, kPrice, kConfidence, kStopLoss, kTakeProfit,
  kQuantity, kTag, kOrderType, kLimitPrice, kStopPrice
};

void push_optional(lua_State* L, double v) {
  if (std::isnan(v)) lua_pushnil(L);  // a hint not given stays nil
  else lua_pushnumber(L, v);
}

void push_text(lua_State* L, std::string_view s) { lua_pushlstring(L, s.data(), s.size()); }

constexpr int kFirstCapacity = 64;

}  // namespace

RiskBatch::RiskBatch(lua_State* L, const RiskContext& ctx)
    : ctx_(ctx),
      table_(L, "batch", "evaluate_batch",
             {"id", "strategy_id", "symbol", "symbol_name", "intention", "price", "confidence", "stop_loss",
              "take_profit", "quantity", "tag", "order_type", "limit_price", "stop_price"},
             kFirstCapacity, &columns_) {
  lua_createtable(L, kFirstCapacity, 0);
  size_ = LuaRef::pop(L);
  lua_createtable(L, kFirstCapacity, 0);
  reject_ = LuaRef::pop(L);
}

void RiskBatch::open(lua_State* L, std::span<const RiskSignal> signals) {
  signals_ = signals;
  table_.open(L, static_cast<int>(signals.size()));
  // The answer arrays, put back in case the last call replaced them.
  table_.push(L);
  lua_pushstring(L, "size");
  size_.push(L);
  lua_rawset(L, -3);
  lua_pushstring(L, "reject");
  reject_.push(L);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

void RiskBatch::Columns::fill(lua_State* L, int column, int array, int n) {
  const RiskSignal* signals = owner->signals_.data();
  for (int i = 0; i < n; ++i) {
    const RiskSignal& s = signals[i];
    switch (column) {
      case kId: lua_pushnumber(L, static_cast<double>(s.signal_id)); break;
      case kStrategyId: push_text(L, s.strategy_id); break;
      case kSymbol: lua_pushnumber(L, s.symbol); break;
      case kSymbolName: push_text(L, owner->ctx_.symbol_name(s.symbol)); break;
      case kIntention: push_text(L, to_string(s.intention)); break;
      case kPrice: push_optional(L, s.price); break;
      case kConfidence: push_optional(L, s.confidence); break;
      case kStopLoss: push_optional(L, s.stop_loss); break;
      case kTakeProfit: push_optional(L, s.take_profit); break;
      case kQuantity: push_optional(L, s.quantity); break;
      case kTag:
        if (s.tag.empty()) lua_pushnil(L);
        else push_text(L, s.tag);
        break;
      case kOrderType: push_text(L, to_string(s.order.type)); break;
      case kLimitPrice: push_optional(L, s.order.limit_price); break;
      default: push_optional(L, s.order.stop_price); break;
    }
    lua_rawseti(L, array, i + 1);
  }
}

std::string RiskBatch::read_answers(lua_State* L, std::vector<RiskDecision>& out) const {
  const int top = lua_gettop(L);
  table_.push(L);
  raw_field(L, -1, "size");
  raw_field(L, -2, "reject");  // stack: batch, size, reject
  if (lua_type(L, -2) != LUA_TTABLE || lua_type(L, -1) != LUA_TTABLE) {
    lua_settop(L, top);
    return "batch.size and batch.reject must stay tables";
  }
  std::string problem;
  for (std::size_t i = 0; i < signals_.size() && problem.empty(); ++i) {
    const int k = static_cast<int>(i + 1);
    lua_rawgeti(L, top + 2, k);
    lua_rawgeti(L, top + 3, k);  // stack: batch, size, reject, size[k], reject[k]
    const bool has_size = !lua_isnil(L, -2), has_reject = !lua_isnil(L, -1);
    const std::uint64_t id = signals_[i].signal_id;
    if (has_size && has_reject) {
      problem = fmt::format("signal {} (batch row {}): give either size or reject", id, k);
    } else if (has_reject) {
      std::string_view reason;
      if (!raw_string(L, -1, reason) || reason.empty())
        problem = fmt::format("signal {} (batch row {}): reject must be a non-empty reason, got {}", id, k,
                              describe_value(L, -1));
      else
        out.push_back(RiskDecision{id, 0, true, std::string(reason)});
    } else if (has_size) {
      double q = 0;
      if (!raw_number(L, -2, q) || !std::isfinite(q) || q <= 0)
        problem = fmt::format("signal {} (batch row {}): size must be a finite number > 0, got {}", id, k,
                              describe_value(L, -2));
      else
        out.push_back(RiskDecision{id, q, false, {}});
    }
    lua_settop(L, top + 3);
  }
  lua_settop(L, top);
  return problem;
}

void RiskBatch::close(lua_State* L) noexcept {
  const int n = static_cast<int>(signals_.size());
  for (const LuaRef* answers : {&size_, &reject_}) {
    answers->push(L);
    for (int i = 1; i <= n; ++i) {
      lua_pushnil(L);
      lua_rawseti(L, -2, i);
    }
    lua_pop(L, 1);
  }
  table_.close(L);
  signals_ = {};
}

}  // namespace qtrader
