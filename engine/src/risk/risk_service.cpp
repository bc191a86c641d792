#include "risk/risk_service.hpp"

#include <cmath>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "qtrader/run_log.hpp"

namespace qtrader {

RiskService::RiskService(EventBus& bus, const PortfolioView& portfolio,
                         const CommissionModel& commission, const SymbolTable& symbols,
                         const std::vector<std::string>& strategy_ids, const BarHistory* history)
    : bus_(bus), portfolio_(portfolio), commission_(commission), symbols_(symbols),
      strategy_ids_(strategy_ids), history_(history) {
  bus_.subscribe<SignalEvent>([this](const SignalEvent& e) { on_signal(e); });
  bus_.subscribe<PortfolioStateEvent>([this](const PortfolioStateEvent& e) { on_state(e); });
  bus_.subscribe<RiskEvaluationTriggerEvent>(
      [this](const RiskEvaluationTriggerEvent& e) { on_evaluate(e); });
}

void RiskService::log(LogLevel level, std::string_view message) {
  run_log().log(static_cast<spdlog::level::level_enum>(level), "[risk] {}", message);
}

namespace {

void check_history_request(SymbolId s, std::size_t symbols, int n, const char* method) {
  if (s >= symbols) throw std::invalid_argument(fmt::format("{}: unknown symbol handle {}", method, s));
  if (n < 0 || n >= BarHistory::kMaxDepth)
    throw std::invalid_argument(fmt::format("{}: depth must be in [0, {}), got {}", method,
                                            BarHistory::kMaxDepth, n));
}

}  // namespace

double RiskService::value(SymbolId s, std::string_view field, int ago) const {
  if (!history_) return RiskContext::value(s, field, ago);
  check_history_request(s, symbols_.size(), ago, "ctx:value");
  const HistoryField f = parse_history_field(field);
  history_->want(ago + 1);
  return history_->value(s, f, ago);
}

void RiskService::history(SymbolId s, std::string_view field, int n, std::vector<double>& out) const {
  if (!history_) return RiskContext::history(s, field, n, out);
  check_history_request(s, symbols_.size(), n, "ctx:history");
  const HistoryField f = parse_history_field(field);
  history_->want(n);
  history_->history(s, f, n, out);
}

void RiskService::keep_history(int n) {
  if (!history_) return;
  check_history_request(0, 1, n, "ctx:keep_history");
  history_->want(n);
}

void RiskService::on_signal(const SignalEvent& e) { pending_.push_back(e); }

void RiskService::on_state(const PortfolioStateEvent& e) {
  state_ = {e.cash, e.equity, e.gross_exposure, e.net_exposure};
}

void RiskService::on_evaluate(const RiskEvaluationTriggerEvent& e) {
  now_ = e.ts;
  // Publishing a round's orders reaches the strategies' on_order, which may
  // emit more signals (a stop placed when an entry is accepted): they make
  // the next round of the same timestamp, so their orders carry the same
  // time and are eligible on the same next bar as the first round's.
  for (int round = 0; round < kMaxRounds && !pending_.empty(); ++round) {
    round_.swap(pending_);
    pending_.clear();
    evaluate_round(e.ts);
  }
}

void RiskService::evaluate_round(Timestamp ts) {
  batch_.clear();
  for (const auto& s : round_)
    batch_.push_back({s.signal_id, strategy_ids_.at(s.strategy), s.symbol, s.intention, s.price,
                      s.confidence, s.stop_loss, s.take_profit, s.tag, s.order, s.quantity});
  decisions_.clear();
  if (policy_) policy_->evaluate(batch_, state_, decisions_);

  // Publish in signal order, whatever order the policy answered in.
  std::unordered_map<std::uint64_t, const RiskDecision*> by_signal;
  for (const auto& d : decisions_) by_signal.emplace(d.signal_id, &d);
  for (const auto& s : round_) {
    auto it = by_signal.find(s.signal_id);
    if (it == by_signal.end()) {
      bus_.publish(OrderRejectedEvent{ts, 0, s.signal_id, s.strategy, s.symbol,
                                      "no decision from risk policy"});
      continue;
    }
    const RiskDecision& d = *it->second;
    if (d.rejected || !(d.quantity > 0) || !std::isfinite(d.quantity)) {
      bus_.publish(OrderRejectedEvent{ts, 0, s.signal_id, s.strategy, s.symbol,
                                      d.rejected ? d.reason : "risk policy sized the order to zero"});
      continue;
    }
    // The signal's stop-loss and take-profit travel with the entry order and
    // become its bracket once it fills.
    const OrderEvent order{ts, next_order_id_, s.signal_id, s.strategy, s.symbol,
                           side_of(s.intention), d.quantity, s.order, 0, s.stop_loss, s.take_profit};
    if (gate_)
      if (std::string why = gate_(order); !why.empty()) {
        bus_.publish(OrderRejectedEvent{ts, 0, s.signal_id, s.strategy, s.symbol, std::move(why)});
        continue;
      }
    ++next_order_id_;
    bus_.publish(order);
  }
  round_.clear();
}

}  // namespace qtrader
