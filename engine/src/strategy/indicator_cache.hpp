// Indicators requested by strategies, keyed by (symbol, kind, field, args) so
// that two strategies asking for the same one share it; each is updated once
// per bar of its symbol, before any strategy sees the bar.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/indicators.hpp"

namespace qtrader {

class IndicatorCache {
 public:
  explicit IndicatorCache(std::size_t symbol_count) : by_symbol_(symbol_count) {}

  // Throws std::invalid_argument for an unknown kind or field, or bad args.
  const Indicator* get(std::string_view kind, SymbolId symbol, std::string_view field,
                       std::span<const double> args);
  void update(const Bar& bar) {
    for (Indicator* i : by_symbol_[bar.symbol]) i->update(bar);
  }

 private:
  std::map<std::string, std::unique_ptr<Indicator>> owned_;
  std::vector<std::vector<Indicator*>> by_symbol_;
};

}  // namespace qtrader
