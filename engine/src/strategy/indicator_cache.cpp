#include "strategy/indicator_cache.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace qtrader {

const Indicator* IndicatorCache::get(std::string_view kind, SymbolId symbol, std::string_view field,
                                     std::span<const double> args, int stream,
                                     std::string_view timeframe) {
  BarField f;
  if (!parse_bar_field(field, f))
    throw std::invalid_argument(fmt::format(
        "unknown bar field '{}' (expected open, high, low, close, volume or adj_close)", field));
  std::string key = fmt::format("{}|{}|{}@{}", symbol, kind, field, timeframe);
  for (double a : args) key += fmt::format("|{}", a);
  auto it = owned_.find(key);
  if (it != owned_.end()) return it->second.get();
  auto ind = make_indicator(kind, f, args);
  Indicator* raw = ind.get();
  owned_.emplace(std::move(key), std::move(ind));
  if (stream < 0) {
    by_symbol_.at(symbol).push_back(raw);
  } else {
    if (by_stream_.size() <= static_cast<std::size_t>(stream)) by_stream_.resize(stream + 1);
    by_stream_[static_cast<std::size_t>(stream)].push_back(raw);
  }
  return raw;
}

}  // namespace qtrader
