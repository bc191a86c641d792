// Keeps each symbol's bars in memory between runs of a long-lived Engine
// (`qtrader watch`, an embedding application), so a re-run after a script
// edit does not parse the CSV files again. A file is read again when its
// size or modification time changes, or when a run asks for other dates or
// another source configuration. Runs without a cache stream from disk.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/data.hpp"

namespace qtrader {

class MarketDataCache {
 public:
  // A stream over `file`'s bars in [start, end] for `symbol`: from memory when
  // an identical read is cached, else read now through open_bar_stream (the
  // binary bar cache under `bar_cache`, else the CSV; every DataError is the
  // same as when streaming) and kept.
  std::unique_ptr<BarStream> open(const DataSourceConfig& source, const std::string& file,
                                  SymbolId symbol, Timestamp start, Timestamp end,
                                  const BarCacheConfig& bar_cache);

  std::size_t files() const noexcept { return entries_.size(); }
  std::uint64_t hits() const noexcept { return hits_; }
  std::uint64_t misses() const noexcept { return misses_; }
  void clear() noexcept { entries_.clear(); }

 private:
  struct Entry {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    std::string source_key;  // layout, columns, price mode: what shapes the bars
    std::shared_ptr<const std::vector<Bar>> bars;
  };
  // By file path and date range.
  std::map<std::tuple<std::string, Timestamp, Timestamp>, Entry> entries_;
  std::uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace qtrader
