// The risk policy's `ctx`: read-only views of the portfolio and prices.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <lua.hpp>

#include "qtrader/script_api.hpp"

namespace qtrader {

struct RiskBinding {
  RiskContext* ctx = nullptr;
  std::string script;
  std::vector<double> scratch;  // ctx:history's buffer, reused
};

struct RiskCtxUserdata {
  RiskBinding* binding;  // nullptr once the RiskScript is destroyed
  std::uint64_t generation;
};

RiskCtxUserdata* push_risk_ctx(lua_State* L, RiskBinding* binding);

}  // namespace qtrader
