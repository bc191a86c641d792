// Market data: per-symbol bar streams and their time-ordered merge.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/symbol_table.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

// Where a stream's bars come from when they are the rows of a binary bar
// cache file, unchanged: the events.sqlite store then keeps this reference
// instead of a copy of the bars (docs/architecture.md "Event store").
struct BarSource {
  std::string cache_file;  // absolute path of the .bars file
  std::string data_file;   // the data file it was made from (for messages)
  std::uint64_t content_hash = 0;  // XXH64 of the data file's bytes
  std::uint64_t config_hash = 0;   // of the source settings that shape bars
  std::uint64_t source_size = 0;   // the data file's size in bytes
};

// One symbol's bars, oldest first, read incrementally.
class BarStream {
 public:
  virtual ~BarStream() = default;
  // Fills `out` with the next bar; false at the end. Throws DataError
  // (file, line, reason) on a bad row: unparsable or non-finite numbers,
  // zero or negative prices, high < low, dates out of order or repeated.
  virtual bool next(Bar& out) = 0;
  // BarFlag bits of the bar the last next() gave (kBarSessionClose); 0 for a
  // stream that knows nothing of sessions.
  virtual std::uint8_t flags() const noexcept { return 0; }
  // The cache file whose rows this stream gives unchanged, or nullptr (a CSV
  // read, bars made or filtered on the way).
  virtual const BarSource* source() const noexcept { return nullptr; }
};

// The zero-based columns a source's file is read by. The named layouts fix
// them (yahoo: Date,Open,High,Low,Close,Adj Close,Volume; ohlcv:
// Date,Open,High,Low,Close,Volume[,OpenInterest]); `custom` uses
// source.columns, and open_csv_stream then looks up source.columns_by_name in
// the file's header. A `yahoo` source whose columns were set away from the
// defaults is read by those columns, so a loader may fill them either way.
// Throws DataError at source.where (the config entry) for an unknown layout.
ColumnMap columns_for(const DataSourceConfig& source);

// Opens a CSV file of `source`'s layout for `symbol`, yielding the bars whose
// timestamps fall in [start, end] (end inclusive, compared on whole days for
// daily data). Rows before `start` are still validated (order, prices).
// price_mode "adjusted" scales open/high/low/close by adj_close/close; "raw"
// keeps them and passes the file's adjusted close (NaN without one).
// The file is read in chunks and the header row must name at least the
// columns used; every row must have as many columns as the header.
// Throws DataError at source.where (or at `file`, line 0, when that is empty)
// for a source that cannot be read this way (unknown layout or price_mode,
// "adjusted" without an adj_close column, no date/open/high/low/close column),
// with line 0 when the file cannot be opened, else with the 1-based physical
// line; ConfigError (from resolve_columns) when a column named by header cell
// is not in the header.
std::unique_ptr<BarStream> open_csv_stream(const DataSourceConfig& source, const std::string& file,
                                           SymbolId symbol, Timestamp start, Timestamp end);

// open_csv_stream's bars through the binary bar cache when `cache` is enabled
// (engine/src/data/bar_cache.hpp; docs/benchmarks.md "Binary bar cache"): the
// same bars, bit for bit, read from a binary copy of the file's parsed rows
// that the first run makes and later runs reuse while the file's bytes and the
// source's settings are unchanged. The CSV is read directly whenever the cache
// cannot serve it (folder not writable, a bad row anywhere in the file), so
// every DataError is the same as from open_csv_stream.
std::unique_ptr<BarStream> open_bar_stream(const DataSourceConfig& source, const std::string& file,
                                           SymbolId symbol, Timestamp start, Timestamp end,
                                           const BarCacheConfig& cache);

// The dates a symbol's file covers: its bar count and its first and last
// bar's timestamps (both 0 when it has none). Reads every bar through
// open_bar_stream, so a warm bar cache makes it a read of binary rows; meant
// for error messages, not for every run.
struct BarCoverage {
  std::size_t bars = 0;
  Timestamp first = 0, last = 0;
};
BarCoverage bar_coverage(const DataSourceConfig& source, const std::string& file,
                         const BarCacheConfig& cache);

// K-way heap merge of many streams. Each stream keeps only its current bar in
// memory; next_batch() returns every bar of the next timestamp, ordered by
// symbol id, so all bars of T are published before any bar of T+1.
class BarMerger {
 public:
  explicit BarMerger(std::vector<std::unique_ptr<BarStream>> streams);
  ~BarMerger();
  BarMerger(BarMerger&&) noexcept;
  BarMerger& operator=(BarMerger&&) noexcept;

  // Clears `out`, then appends the next timestamp's bars; false when exhausted.
  bool next_batch(std::vector<Bar>& out);
  // The same, with each bar's BarFlag bits in `flags` (parallel to `out`): its
  // stream's, plus kBarEndOfData for a symbol whose stream ends with this bar
  // while another stream still has bars.
  bool next_batch(std::vector<Bar>& out, std::vector<std::uint8_t>& flags);
  // True when no stream has a bar left (before the first next_batch: none in range).
  bool empty() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace qtrader
