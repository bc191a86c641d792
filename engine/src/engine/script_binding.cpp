#include "engine/script_binding.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "engine/library_check.hpp"
#include "engine/param_json.hpp"
#include "library/library_store.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/hash.hpp"
#include "qtrader/lua/risk_script.hpp"
#include "qtrader/lua/script_host.hpp"
#include "qtrader/lua/script_params.hpp"
#include "qtrader/lua/script_registry.hpp"
#include "qtrader/lua/strategy_script.hpp"

namespace qtrader {

namespace fs = std::filesystem;

namespace {

class LuaStrategyRuntime final : public StrategyRuntime {
 public:
  explicit LuaStrategyRuntime(std::unique_ptr<StrategyScript> s) : script_(std::move(s)) {}
  void on_init() override { script_->on_init(); }
  void on_bar(const Bar& bar) override { script_->on_bar(bar); }
  void on_bar_of(const Bar& bar, const std::string& timeframe) override {
    script_->on_bar(bar, timeframe);
  }
  bool takes_slices() const override { return script_->has_on_slice(); }
  void on_slice(Timestamp ts, std::span<const Bar> bars) override { script_->on_slice(ts, bars); }
  bool wants_ticks() const override { return script_->has_on_tick(); }
  void on_tick(const Tick& tick) override { script_->on_tick(tick); }
  void on_fill(const FillEvent& fill) override { script_->on_fill(fill); }
  void on_order(const OrderNotice& event) override { script_->on_order(event); }
  void on_stop() override { script_->on_stop(); }
  std::string save_state() override { return script_->save_state(); }
  void resume(const std::string& state_json) override { script_->resume(state_json); }

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
  std::string save_state() override { return script_->save_state(); }
  void resume(const std::string& state_json) override { script_->resume(state_json); }
  RiskScript& script() { return *script_; }

 private:
  std::unique_ptr<RiskScript> script_;
};

std::string known_names(const ScriptRegistry& registry, ScriptKind kind) {
  std::string out;
  for (const auto& e : registry.list())
    if (e.kind == kind) out += (out.empty() ? "" : ", ") + (e.library == kBuiltinNamespace ? e.name : e.qualified_name());
  return out.empty() ? "none" : out;
}

}  // namespace

struct ScriptBinding::Impl {
  Impl(const ScriptRoots& roots, ScriptLimits limits)
      : registry(roots, limits), host(limits, roots.module_roots()) {
    host.set_module_scopes(registry.module_scopes());
  }
  ScriptRegistry registry;
  ScriptHost host;
  std::vector<const RegistryEntry*> loaded;
  std::vector<ScriptParams> params;  // load order
  std::vector<LibraryUse> libraries;  // check_names()
};

ScriptBinding::ScriptBinding(const std::string& root, const BacktestConfig& backtest,
                             const ScriptLimits& limits) {
  ScriptRoots roots{backtest.script_paths, root + "/strategies", root + "/scripts"};
  roots.description_cache = default_description_cache_dir();
  // Installed libraries: the project's (qtrader_libs/ beside the backtest), then the user's.
  if (!backtest.path.empty())
    roots.library_dirs.push_back(project_library_dir(fs::absolute(backtest.path).parent_path().string()));
  roots.library_dirs.push_back(user_library_dir());
  impl_ = std::make_unique<Impl>(std::move(roots), limits);
}

const std::vector<LibraryUse>& ScriptBinding::libraries_used() const noexcept { return impl_->libraries; }

const ScriptRegistry& ScriptBinding::registry() const noexcept { return impl_->registry; }

std::vector<ScriptUse> ScriptBinding::scripts_used() const {
  std::vector<ScriptUse> out;
  for (const RegistryEntry* e : impl_->loaded) {
    const bool seen = std::any_of(out.begin(), out.end(), [&](const ScriptUse& u) { return u.path == e->path; });
    if (!seen) out.push_back({e->name, to_string(e->kind), e->path, hash_hex(e->content_hash)});
  }
  for (const auto& path : impl_->host.required_files())
    out.push_back({fs::path(path).stem().string(), "module", path, file_hash_hex(path)});
  return out;
}

ScriptBinding::~ScriptBinding() {
  if (impl_) impl_->host.retire_objects();
}

void ScriptBinding::check_names(const BacktestConfig& bt) const {
  for (std::size_t i = 0; i < bt.strategies.size(); ++i) {
    const auto& s = bt.strategies[i];
    const auto candidates = impl_->registry.matches(s.name, ScriptKind::Strategy);
    if (candidates.size() > 1)
      throw ConfigError(s.name_where.file, s.name_where.line, fmt::format("strategies[{}].name", i),
                        ScriptRegistry::ambiguity(s.name, ScriptKind::Strategy, candidates));
    const RegistryEntry* found = candidates.empty() ? nullptr : candidates.front();
    if (!found)
      throw ConfigError(s.name_where.file, s.name_where.line, fmt::format("strategies[{}].name", i),
                        fmt::format("unknown strategy '{}' (known: {})", s.name,
                                    known_names(impl_->registry, ScriptKind::Strategy)));
    impl_->loaded.push_back(found);
    // Params are checked now, against the declared ones the scan read, so a
    // typo is reported before a results folder is made.
    if (found->load_error.empty())
      resolve_params(found->params, s.config, fmt::format("strategy '{}'", found->name),
                     fmt::format("strategies[{}].config", s.strategy_id));
  }
  const auto& r = bt.risk_policy;
  const auto candidates = impl_->registry.matches(r.name, ScriptKind::RiskPolicy);
  if (candidates.size() > 1)
    throw ConfigError(r.where.file, r.where.line, "risk_policy.name",
                      ScriptRegistry::ambiguity(r.name, ScriptKind::RiskPolicy, candidates));
  const RegistryEntry* policy = candidates.empty() ? nullptr : candidates.front();
  if (!policy)
    throw ConfigError(r.where.file, r.where.line, "risk_policy.name",
                      fmt::format("unknown risk policy '{}' (known: {})", r.name,
                                  known_names(impl_->registry, ScriptKind::RiskPolicy)));
  impl_->loaded.push_back(policy);
  if (policy->load_error.empty())
    resolve_params(policy->params, r.config, fmt::format("risk policy '{}'", policy->name),
                   "risk_policy.config");
  impl_->libraries = check_libraries(impl_->registry, impl_->loaded, bt);
}

std::unique_ptr<StrategyRuntime> ScriptBinding::load_strategy(const StrategySpec& spec,
                                                              StrategyContext& ctx) {
  const RegistryEntry* entry = impl_->registry.find(spec.name, ScriptKind::Strategy);
  auto script = qtrader::load_strategy(impl_->host, *entry, ctx, spec.config,
                                       fmt::format("strategies[{}].config", spec.strategy_id));
  impl_->params.push_back(script_params(spec.strategy_id, spec.name, script->params()));
  return std::make_unique<LuaStrategyRuntime>(std::move(script));
}

std::unique_ptr<RiskPolicy> ScriptBinding::load_risk_policy(const RiskPolicySpec& spec,
                                                            RiskContext& ctx) {
  const RegistryEntry* entry = impl_->registry.find(spec.name, ScriptKind::RiskPolicy);
  auto script = qtrader::load_risk_policy(impl_->host, *entry, ctx, spec.config);
  impl_->params.push_back(script_params("risk_policy", spec.name, script->params()));
  script->on_init();
  return std::make_unique<LuaRiskPolicy>(std::move(script));
}

const std::vector<ScriptParams>& ScriptBinding::params_used() const noexcept { return impl_->params; }

}  // namespace qtrader
