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
  // `stream` -1: on the symbol's source bars; else on that consolidated
  // stream's completed bars (TimeframeStreams), named `timeframe`.
  const Indicator* get(std::string_view kind, SymbolId symbol, std::string_view field,
                       std::span<const double> args, int stream = -1,
                       std::string_view timeframe = {});
  void update(const Bar& bar) {
    for (Indicator* i : by_symbol_[bar.symbol]) i->update(bar);
  }
  // A completed bar of a consolidated stream.
  void update_stream(int stream, const Bar& bar) {
    if (static_cast<std::size_t>(stream) < by_stream_.size())
      for (Indicator* i : by_stream_[static_cast<std::size_t>(stream)]) i->update(bar);
  }

 private:
  std::map<std::string, std::unique_ptr<Indicator>> owned_;
  std::vector<std::vector<Indicator*>> by_symbol_;
  std::vector<std::vector<Indicator*>> by_stream_;
};

}  // namespace qtrader
