// Interns symbol names into dense integer handles, in order of first sight.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader {

class SymbolTable {
 public:
  SymbolId intern(std::string_view name);
  // kNoSymbol when unknown.
  SymbolId find(std::string_view name) const noexcept;
  const std::string& name(SymbolId id) const { return names_.at(id); }
  std::size_t size() const noexcept { return names_.size(); }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, SymbolId> ids_;
};

}  // namespace qtrader
