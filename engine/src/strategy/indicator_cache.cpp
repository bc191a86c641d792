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
  const auto s = static_cast<std::size_t>(stream);
  const std::uint64_t after =
      stream < 0 ? seen_symbol_.at(symbol) : (s < seen_stream_.size() ? seen_stream_[s] : 0);
  asked_.push_back({std::string(kind), std::string(field), std::string(timeframe), symbol, stream,
                    std::vector<double>(args.begin(), args.end()), after});
  if (!preparing_) add(raw, symbol, stream);
  return raw;
}

void IndicatorCache::add(Indicator* indicator, SymbolId symbol, int stream) {
  if (stream < 0) {
    by_symbol_.at(symbol).push_back(indicator);
  } else {
    if (by_stream_.size() <= static_cast<std::size_t>(stream)) by_stream_.resize(stream + 1);
    by_stream_[static_cast<std::size_t>(stream)].push_back(indicator);
  }
}

void IndicatorCache::release(SymbolId symbol, int stream) {
  for (std::size_t i = 0; i < deferred_.size();) {
    const Deferred& d = deferred_[i];
    const std::uint64_t seen =
        d.stream < 0 ? seen_symbol_[d.symbol]
                     : (static_cast<std::size_t>(d.stream) < seen_stream_.size() ? seen_stream_[d.stream] : 0);
    if (d.symbol == symbol && d.stream == stream && seen >= d.after) {
      add(d.indicator, d.symbol, d.stream);
      deferred_.erase(deferred_.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

}  // namespace qtrader
