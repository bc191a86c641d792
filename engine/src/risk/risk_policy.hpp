// What the risk service needs from a policy (a Lua script in practice).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "qtrader/script_api.hpp"

namespace qtrader {

class RiskPolicy {
 public:
  virtual ~RiskPolicy() = default;
  // At most one decision per signal, appended to `out` in any order. A signal
  // left without one is the risk service's to reject, so that the rejection
  // reads the same whatever the policy. Throws ScriptError when the policy fails.
  virtual void evaluate(std::span<const RiskSignal> signals, const RiskPortfolio& portfolio,
                        std::vector<RiskDecision>& out) = 0;
  // Checkpoints (docs/checkpoints.md): the script's ctx.state as JSON, ""
  // for a policy that keeps none; throws ScriptError when it is not plain data.
  virtual std::string save_state() { return {}; }
  // A resumed run: ctx.state back from save_state()'s text, then on_resume.
  virtual void resume(const std::string& /*state_json*/) {}
};

}  // namespace qtrader
