// The risk service: buffers the signals of one timestamp and, at the risk
// evaluation trigger, hands them with the portfolio state to the configured
// policy; publishes the sized orders and the rejections.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "execution/commission.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/portfolio_view.hpp"
#include "qtrader/script_api.hpp"
#include "qtrader/symbol_table.hpp"
#include "risk/risk_policy.hpp"
#include "strategy/bar_history.hpp"

namespace qtrader {

class RiskService final : public RiskContext {
 public:
  RiskService(EventBus& bus, const PortfolioView& portfolio, const CommissionModel& commission,
              const SymbolTable& symbols, const std::vector<std::string>& strategy_ids,
              const BarHistory* history = nullptr);

  // The policy is created after the service because its script binds this context.
  void set_policy(RiskPolicy* policy) { policy_ = policy; }

  // A last check of each sized order before it is published (live trading's
  // limits, engine/src/live/live_risk.hpp): a non-empty answer rejects the
  // order with that reason. None in a backtest.
  using OrderGate = std::function<std::string(const OrderEvent&)>;
  void set_order_gate(OrderGate gate) { gate_ = std::move(gate); }

  // Checkpoints (docs/checkpoints.md; risk_snapshot.cpp), between
  // timestamps: the next order id, the time, the portfolio figures, the
  // signals left over when a timestamp used all its rounds, and the policy
  // script's ctx.state, as JSON. restore() takes them back and calls the
  // policy's on_resume: after the strategies' restore, whose bar history
  // the policy may read (signals their on_resume raised stay after the
  // leftovers, as at the next timestamp).
  std::string snapshot() const;
  void restore(std::string_view json);

  // RiskContext
  Timestamp now() const override { return now_; }
  const std::string& symbol_name(SymbolId s) const override { return symbols_.name(s); }
  SymbolId symbol(std::string_view name) const override { return symbols_.find(name); }
  double position(SymbolId s) const override { return portfolio_.position(s); }
  double price(SymbolId s) const override { return portfolio_.last_price(s); }
  double multiplier(SymbolId s) const override { return portfolio_.multiplier(s); }
  bool is_future(SymbolId s) const override { return portfolio_.is_future(s); }
  double cash() const override { return portfolio_.cash(); }
  double equity() const override { return portfolio_.equity(); }
  double commission(SymbolId, double quantity, double price) const override {
    return commission_(quantity, price);
  }
  void log(LogLevel, std::string_view message) override;
  // The strategies' bar history (bars up to now()); a deeper request deepens it.
  double value(SymbolId, std::string_view field, int ago) const override;
  void history(SymbolId, std::string_view field, int n, std::vector<double>& out) const override;
  void keep_history(int n) override;

 private:
  void on_signal(const SignalEvent&);
  void on_state(const PortfolioStateEvent&);
  void on_evaluate(const RiskEvaluationTriggerEvent&);
  void evaluate_round(Timestamp ts);

  EventBus& bus_;
  const PortfolioView& portfolio_;
  const CommissionModel& commission_;
  const SymbolTable& symbols_;
  const std::vector<std::string>& strategy_ids_;
  const BarHistory* history_;  // the strategies'; a deeper read asks it to grow
  RiskPolicy* policy_ = nullptr;
  OrderGate gate_;
  Timestamp now_ = 0;
  OrderId next_order_id_ = 1;
  RiskPortfolio state_{};
  // Rounds of one timestamp's evaluation: a strategy may answer an order
  // event with a new signal; past this many rounds what is left waits for
  // the next timestamp, so a script cannot keep one timestamp busy forever.
  static constexpr int kMaxRounds = 16;
  std::vector<SignalEvent> pending_;  // raised since the last round began
  std::vector<SignalEvent> round_;    // the signals being decided
  std::vector<RiskSignal> batch_;
  std::vector<RiskDecision> decisions_;
};

}  // namespace qtrader
