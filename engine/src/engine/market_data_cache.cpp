#include "engine/market_data_cache.hpp"

#include <chrono>
#include <filesystem>

#include "data/bar_cache.hpp"

namespace qtrader {

namespace {

// Replays cached bars under the symbol handle of the current run (handles are
// assigned per run and may differ from the run that filled the cache).
class MemoryBarStream final : public BarStream {
 public:
  MemoryBarStream(std::shared_ptr<const std::vector<Bar>> bars, SymbolId symbol)
      : bars_(std::move(bars)), symbol_(symbol) {}
  bool next(Bar& out) override {
    const auto& bars = *bars_;
    if (next_ >= bars.size()) return false;
    out = bars[next_++];
    out.symbol = symbol_;
    // This stream is read once per timestamp, interleaved with every other
    // symbol's: too many streams for the hardware prefetcher, so each read
    // would miss. Ask for the next bar now; it is needed a whole slice later.
    if (next_ + 1 < bars.size()) {
      const char* p = reinterpret_cast<const char*>(&bars[next_ + 1]);
      __builtin_prefetch(p);
      __builtin_prefetch(p + sizeof(Bar) - 1);  // a Bar may straddle two lines
    }
    return true;
  }

 private:
  std::shared_ptr<const std::vector<Bar>> bars_;
  SymbolId symbol_;
  std::size_t next_ = 0;
};

}  // namespace

std::unique_ptr<BarStream> MarketDataCache::open(const DataSourceConfig& source, const std::string& file,
                                                 SymbolId symbol, Timestamp start, Timestamp end,
                                                 const BarCacheConfig& bar_cache) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  // Let the reader report it.
  if (ec) return open_bar_stream(source, file, symbol, start, end, bar_cache);
  const auto mtime = fs::last_write_time(file, ec);
  if (ec) return open_bar_stream(source, file, symbol, start, end, bar_cache);
  const std::int64_t mtime_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
  const std::string key = bar_shape_key(source);

  Entry& entry = entries_[{file, start, end}];
  if (entry.bars && entry.size == size && entry.mtime_ns == mtime_ns && entry.source_key == key) {
    ++hits_;
    return std::make_unique<MemoryBarStream>(entry.bars, symbol);
  }
  ++misses_;
  auto bars = std::make_shared<std::vector<Bar>>();
  try {
    auto stream = open_bar_stream(source, file, symbol, start, end, bar_cache);
    Bar bar;
    while (stream->next(bar)) bars->push_back(bar);
  } catch (...) {
    entries_.erase({file, start, end});
    throw;
  }
  entry = Entry{size, mtime_ns, key, bars};
  return std::make_unique<MemoryBarStream>(std::move(bars), symbol);
}

}  // namespace qtrader
