#include "qtrader/symbol_table.hpp"

namespace qtrader {

SymbolId SymbolTable::intern(std::string_view name) {
  auto it = ids_.find(std::string(name));
  if (it != ids_.end()) return it->second;
  const auto id = static_cast<SymbolId>(names_.size());
  names_.emplace_back(name);
  ids_.emplace(names_.back(), id);
  return id;
}

SymbolId SymbolTable::find(std::string_view name) const noexcept {
  auto it = ids_.find(std::string(name));
  return it == ids_.end() ? kNoSymbol : it->second;
}

}  // namespace qtrader
