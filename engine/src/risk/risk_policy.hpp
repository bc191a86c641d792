// What the risk service needs from a policy (a Lua script in practice).
#pragma once

#include <span>
#include <vector>

#include "qtrader/script_api.hpp"

namespace qtrader {

class RiskPolicy {
 public:
  virtual ~RiskPolicy() = default;
  // One decision per signal, appended to `out`. Throws ScriptError when the policy fails.
  virtual void evaluate(std::span<const RiskSignal> signals, const RiskPortfolio& portfolio,
                        std::vector<RiskDecision>& out) = 0;
};

}  // namespace qtrader
