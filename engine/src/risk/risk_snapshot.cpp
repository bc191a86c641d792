// The risk service's part of a checkpoint (docs/checkpoints.md).
#include <stdexcept>

#include "qtrader/snapshot_json.hpp"
#include "risk/risk_service.hpp"

namespace qtrader {

using snapshot_json::Json;
using snapshot_json::number;

namespace {

// NaN (a hint not given) as null, as every snapshot writes it.
Json hint(double v) { return v != v ? Json() : Json(v); }

Json signal_json(const SignalEvent& s) {
  const OrderSpec& o = s.order;
  return {{"ts", s.ts},
          {"signal_id", s.signal_id},
          {"strategy", s.strategy},
          {"symbol", s.symbol},
          {"intention", snapshot_json::code(s.intention)},
          {"price", hint(s.price)},
          {"confidence", hint(s.confidence)},
          {"stop_loss", hint(s.stop_loss)},
          {"take_profit", hint(s.take_profit)},
          {"tag", s.tag},
          {"order",
           {{"type", snapshot_json::code(o.type)},
            {"limit_price", hint(o.limit_price)},
            {"stop_price", hint(o.stop_price)},
            {"trail_amount", hint(o.trail_amount)},
            {"trail_percent", hint(o.trail_percent)},
            {"tif", snapshot_json::code(o.tif)},
            {"expiry", o.expiry}}},
          {"quantity", hint(s.quantity)}};
}

SignalEvent signal_of(const Json& j) {
  const Json& o = j.at("order");
  SignalEvent s{};
  s.ts = j.at("ts").get<Timestamp>();
  s.signal_id = j.at("signal_id").get<std::uint64_t>();
  s.strategy = j.at("strategy").get<StrategyIndex>();
  s.symbol = j.at("symbol").get<SymbolId>();
  s.intention = snapshot_json::enum_of<Intention>(j.at("intention"));
  s.price = number(j.at("price"));
  s.confidence = number(j.at("confidence"));
  s.stop_loss = number(j.at("stop_loss"));
  s.take_profit = number(j.at("take_profit"));
  s.tag = j.at("tag").get<std::string>();
  s.order.type = snapshot_json::enum_of<OrderType>(o.at("type"));
  s.order.limit_price = number(o.at("limit_price"));
  s.order.stop_price = number(o.at("stop_price"));
  s.order.trail_amount = number(o.at("trail_amount"));
  s.order.trail_percent = number(o.at("trail_percent"));
  s.order.tif = snapshot_json::enum_of<TimeInForce>(o.at("tif"));
  s.order.expiry = o.at("expiry").get<Timestamp>();
  s.quantity = number(j.at("quantity"));
  return s;
}

}  // namespace

std::string RiskService::snapshot() const {
  if (!round_.empty()) throw std::logic_error("risk: a checkpoint is taken between timestamps only");
  Json leftover = Json::array();
  for (const SignalEvent& s : pending_) leftover.push_back(signal_json(s));
  const std::string state = policy_ ? policy_->save_state() : std::string();
  return Json{{"next_order_id", next_order_id_},
              {"now", now_},
              {"portfolio", {hint(state_.cash), hint(state_.equity), hint(state_.gross_exposure),
                             hint(state_.net_exposure)}},
              {"leftover_signals", leftover},
              {"policy_state", state.empty() ? Json() : Json::parse(state)}}
      .dump();
}

void RiskService::restore(std::string_view text) {
  const Json j = Json::parse(text);
  next_order_id_ = j.at("next_order_id").get<OrderId>();
  now_ = j.at("now").get<Timestamp>();
  const Json& p = j.at("portfolio");
  state_ = {number(p.at(0)), number(p.at(1)), number(p.at(2)), number(p.at(3))};
  std::vector<SignalEvent> leftover;
  for (const Json& s : j.at("leftover_signals")) leftover.push_back(signal_of(s));
  pending_.insert(pending_.begin(), leftover.begin(), leftover.end());
  const Json& state = j.at("policy_state");
  if (policy_ && !state.is_null()) policy_->resume(state.dump());
}

}  // namespace qtrader
