#include "engine/script_binding.hpp"

#include <fmt/format.h>

#include "qtrader/errors.hpp"
#include "qtrader/lua/risk_script.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/script_registry.hpp"
#include "qtrader/lua/strategy_script.hpp"

namespace qtrader {

namespace {

class LuaStrategyRuntime final : public StrategyRuntime {
 public:
  explicit LuaStrategyRuntime(std::unique_ptr<StrategyScript> s) : script_(std::move(s)) {}
  void on_init() override { script_->on_init(); }
  void on_bar(const Bar& bar) override { script_->on_bar(bar); }
  void on_fill(const FillEvent& fill) override { script_->on_fill(fill); }
  void on_stop() override { script_->on_stop(); }

 private:
  std::unique_ptr<StrategyScript> script_;
};

class LuaRiskPolicy final : public RiskPolicy {
 public:
  explicit LuaRiskPolicy(std::unique_ptr<RiskScript> s) : script_(std::move(s)) {}
  void evaluate(std::span<const RiskSignal> signals, const RiskPortfolio& portfolio,
                std::vector<RiskDecision>& out) override {
    script_->evaluate(signals, portfolio, out);
  }
  RiskScript& script() { return *script_; }

 private:
  std::unique_ptr<RiskScript> script_;
};

std::string known_names(const ScriptRegistry& registry, ScriptKind kind) {
  std::string out;
  for (const auto& e : registry.list())
    if (e.kind == kind) out += (out.empty() ? "" : ", ") + e.name;
  return out.empty() ? "none" : out;
}

}  // namespace

struct ScriptBinding::Impl {
  Impl(ScriptRoots roots, ScriptLimits limits)
      : registry(roots, limits), host(limits, roots.module_roots()) {}
  ScriptRegistry registry;
  ScriptHost host;
};

ScriptBinding::ScriptBinding(const std::string& root, const BacktestConfig& backtest) {
  ScriptRoots roots{backtest.script_paths, root + "/strategies", root + "/scripts"};
  impl_ = std::make_unique<Impl>(std::move(roots), ScriptLimits{});
}

ScriptBinding::~ScriptBinding() {
  if (impl_) impl_->host.retire_objects();
}

void ScriptBinding::check_names(const BacktestConfig& bt) const {
  for (std::size_t i = 0; i < bt.strategies.size(); ++i) {
    const auto& s = bt.strategies[i];
    if (!impl_->registry.find(s.name, ScriptKind::Strategy))
      throw ConfigError(s.name_where.file, s.name_where.line, fmt::format("strategies[{}].name", i),
                        fmt::format("unknown strategy '{}' (known: {})", s.name,
                                    known_names(impl_->registry, ScriptKind::Strategy)));
  }
  const auto& r = bt.risk_policy;
  if (!impl_->registry.find(r.name, ScriptKind::RiskPolicy))
    throw ConfigError(r.where.file, r.where.line, "risk_policy.name",
                      fmt::format("unknown risk policy '{}' (known: {})", r.name,
                                  known_names(impl_->registry, ScriptKind::RiskPolicy)));
}

std::unique_ptr<StrategyRuntime> ScriptBinding::load_strategy(const StrategySpec& spec,
                                                              StrategyContext& ctx) {
  const RegistryEntry* entry = impl_->registry.find(spec.name, ScriptKind::Strategy);
  return std::make_unique<LuaStrategyRuntime>(
      qtrader::load_strategy(impl_->host, *entry, ctx, spec.config,
                             fmt::format("strategies[{}].config", spec.strategy_id)));
}

std::unique_ptr<RiskPolicy> ScriptBinding::load_risk_policy(const RiskPolicySpec& spec,
                                                            RiskContext& ctx) {
  const RegistryEntry* entry = impl_->registry.find(spec.name, ScriptKind::RiskPolicy);
  auto script = qtrader::load_risk_policy(impl_->host, *entry, ctx, spec.config);
  script->on_init();
  return std::make_unique<LuaRiskPolicy>(std::move(script));
}

}  // namespace qtrader
