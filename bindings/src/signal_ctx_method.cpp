#include <stdexcept>

#include <fmt/format.h>

#include "host_state.hpp"
#include "lua_raw.hpp"
#include "research_ctx_methods.hpp"
#include "userdata_support.hpp"

namespace qtrader::research_ctx {

StrategyBinding& binding_of(lua_State* L, const char* method) {
  auto& ud = check_self<StrategyCtxUserdata>(L, method);
  if (!ud.binding || ud.generation != host_state_of(L)->generation) throw_retired(method);
  return *ud.binding;
}

int signal(lua_State* L) {
  constexpr const char* kMethod = "ctx:signal";
  StrategyContext& ctx = *binding_of(L, kMethod).ctx;
  std::string_view name;
  if (!raw_string(L, 2, name) || name.empty())
    throw std::invalid_argument(
        fmt::format("{}: name must be a non-empty string, got {}", kMethod, describe_value(L, 2)));
  const SymbolId sym = symbol_argument(L, 3, ctx, kMethod);
  try {
    const auto v = ctx.signal(name, sym);
    if (v) lua_pushnumber(L, *v);
    else lua_pushnil(L);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(fmt::format("{}: {}", kMethod, e.what()));
  }
  return 1;
}

}  // namespace qtrader::research_ctx
