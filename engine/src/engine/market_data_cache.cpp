#include "engine/market_data_cache.hpp"

#include <chrono>
#include <filesystem>

#include <fmt/format.h>

namespace qtrader {

namespace {

// Replays cached bars under the symbol handle of the current run (handles are
// assigned per run and may differ from the run that filled the cache).
class MemoryBarStream final : public BarStream {
 public:
  MemoryBarStream(std::shared_ptr<const std::vector<Bar>> bars, SymbolId symbol)
      : bars_(std::move(bars)), symbol_(symbol) {}
  bool next(Bar& out) override {
    if (next_ >= bars_->size()) return false;
    out = (*bars_)[next_++];
    out.symbol = symbol_;
    return true;
  }

 private:
  std::shared_ptr<const std::vector<Bar>> bars_;
  SymbolId symbol_;
  std::size_t next_ = 0;
};

std::string source_key(const DataSourceConfig& s) {
  std::string key = fmt::format("{}|{}|{}|{}|{},{},{},{},{},{},{},{},{}", s.adapter, s.layout, s.price_mode,
                                s.timezone, s.columns.date, s.columns.time, s.columns.open, s.columns.high,
                                s.columns.low, s.columns.close, s.columns.adj_close, s.columns.volume,
                                s.columns.open_interest);
  for (const auto& c : s.columns_by_name) key += "|" + c.field + "=" + c.header;
  return key;
}

}  // namespace

std::unique_ptr<BarStream> MarketDataCache::open(const DataSourceConfig& source, const std::string& file,
                                                 SymbolId symbol, Timestamp start, Timestamp end) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) return open_csv_stream(source, file, symbol, start, end);  // let the reader report it
  const auto mtime = fs::last_write_time(file, ec);
  if (ec) return open_csv_stream(source, file, symbol, start, end);
  const std::int64_t mtime_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
  const std::string key = source_key(source);

  Entry& entry = entries_[{file, start, end}];
  if (entry.bars && entry.size == size && entry.mtime_ns == mtime_ns && entry.source_key == key) {
    ++hits_;
    return std::make_unique<MemoryBarStream>(entry.bars, symbol);
  }
  ++misses_;
  auto bars = std::make_shared<std::vector<Bar>>();
  try {
    auto stream = open_csv_stream(source, file, symbol, start, end);
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
