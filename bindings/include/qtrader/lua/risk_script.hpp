// One risk-policy script loaded into a run's ScriptHost. The file returns:
//   { name=, kind="risk_policy", description=, params={...},
//     on_init=function(ctx, params) (optional),
//     evaluate=function(ctx, signals, portfolio) return decisions end,
//     on_resume=function(ctx) (optional) }
// signals: array of {id, strategy_id, symbol, symbol_name, intention, price,
//   confidence, stop_loss, take_profit, tag} (hints that were not given are nil);
// portfolio: {cash, equity, gross_exposure, net_exposure};
// decisions: array of {signal=id, quantity=q} or {signal=id, reject="reason"}.
// Or, instead of evaluate, evaluate_batch=function(ctx, batch, portfolio):
// batch is one reused table of columns (batch.n, batch.id[i], batch.symbol[i],
// ... the signal fields above) and the policy answers row i with
// batch.size[i] = q or batch.reject[i] = "reason" (risk_batch.hpp).
//
// Shaped like StrategyScript (same loading, refs and ctx detach, shared
// through script_module.hpp); the two differ in their callbacks and ctx.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/lua/lua_ref.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/script_params.hpp"
#include "qtrader/lua/script_registry.hpp"
#include "qtrader/script_api.hpp"

namespace qtrader {

struct RiskBinding;  // bindings/src/risk_ctx_binding.hpp
class RiskBatch;     // bindings/src/risk_batch.hpp

class RiskScript {
 public:
  RiskScript(ScriptHost& host, const std::string& path, RiskContext& ctx,
             const ParamMap& overrides, std::string_view config_key = "risk_policy.config");
  ~RiskScript();
  RiskScript(const RiskScript&) = delete;
  RiskScript& operator=(const RiskScript&) = delete;

  void on_init();
  // Appends one decision per signal the policy answered to `out`, in signal
  // order. A signal it did not answer gets none (the risk service rejects it).
  // ScriptError when the script fails or returns a malformed decision
  // (unknown signal id, two decisions for one signal, quantity not finite and > 0).
  // An empty batch does not call the script.
  void evaluate(std::span<const RiskSignal> signals, const RiskPortfolio& portfolio,
                std::vector<RiskDecision>& out);

  // ctx.state as JSON (plain_state.hpp), for a checkpoint: ScriptError naming
  // the key path when it is not plain data.
  std::string save_state();
  // Replaces ctx.state with the checkpoint's, then calls on_resume(ctx) when
  // the script has one (its other state, upvalues and globals, starts afresh).
  void resume(const std::string& state_json);

  const std::string& name() const noexcept { return name_; }
  const std::string& path() const noexcept { return path_; }
  const ResolvedParams& params() const noexcept { return params_; }

 private:
  void push_arguments(std::span<const RiskSignal> signals, const RiskPortfolio& portfolio);
  void read_decisions(std::span<const RiskSignal> signals, std::vector<RiskDecision>& out);
  void evaluate_batch(std::span<const RiskSignal> signals, const RiskPortfolio& portfolio,
                      std::vector<RiskDecision>& out);

  ScriptHost& host_;
  std::string path_, name_;
  ResolvedParams params_;
  std::unique_ptr<RiskBinding> binding_;
  // Released by their destructors, after ~RiskScript has detached the ctx.
  LuaRef module_, on_init_, evaluate_, evaluate_batch_, on_resume_, ctx_, params_table_;
  // evaluate_batch's reused tables (nullptr/empty for a policy with evaluate).
  std::unique_ptr<RiskBatch> batch_;
  LuaRef portfolio_table_;
  // Reused per evaluate: signal id -> index in the batch, and the answer slots.
  std::unordered_map<std::uint64_t, std::size_t> index_;
  std::vector<RiskDecision> answers_;
  std::vector<bool> answered_;
};

std::unique_ptr<RiskScript> load_risk_policy(ScriptHost& host, const RegistryEntry& entry,
                                             RiskContext& ctx, const ParamMap& overrides,
                                             std::string_view config_key = "risk_policy.config");

}  // namespace qtrader
