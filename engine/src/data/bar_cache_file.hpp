// One cache file of the binary bar cache: every row of one data file, parsed
// under one source configuration, as fixed-size little-endian records.
//
//   header (72 bytes)                     record (56 bytes, one per row, oldest first)
//   0  magic "QTBARS\0\1"                 0  ts         int64 (ns since the epoch)
//   8  format version        uint32       8  open       float64 bits, exactly as parsed
//   12 record size (56)      uint32       16 high
//   16 source content hash   uint64       24 low
//   24 source config hash    uint64       32 close
//   32 source size in bytes  uint64       40 volume
//   40 row count             uint64       48 adj_close  (NaN without one)
//   48 first timestamp       int64
//   56 last timestamp        int64
//   64 body checksum         uint64: XXH3-64 of every record's bytes
//
// The symbol handle is not stored: handles are per run. A file whose header
// does not match what the caller expects, or whose size is not exactly
// header + rows * record, is not used (a torn write cannot pass for a whole one);
// nor is one whose records do not hash to the header's checksum (flipped bytes,
// an edit by hand): that one is rebuilt from the data file, with a warning.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "qtrader/data.hpp"
#include "qtrader/types.hpp"

struct XXH3_state_s;  // xxhash.h's streaming state

namespace qtrader::data_detail {

inline constexpr std::uint32_t kBarCacheVersion = 2;  // 2: the body checksum
inline constexpr std::size_t kBarCacheHeaderSize = 72;
inline constexpr std::size_t kBarCacheRecordSize = 56;

// What a cache file must say about itself to be used.
struct BarCacheKey {
  std::uint64_t content_hash = 0;  // XXH64 of the source file's bytes
  std::uint64_t config_hash = 0;   // of what shapes the bars (bar_shape_key)
  std::uint64_t source_size = 0;
};

// A stream over the bars of `path` in [start, end] (the rule of
// open_csv_stream: end inclusive, on whole days for a midnight end), reading
// a small block of records per refill so memory stays flat however long the
// file. nullptr when the file is missing, unreadable or does not match `key`.
// Throws DataError (path, 0) when a read fails after a valid open. The
// stream's source() names the file, `key` and `data_file` (the file it was made from).
std::unique_ptr<BarStream> open_bar_cache_file(const std::string& path, const BarCacheKey& key,
                                               SymbolId symbol, Timestamp start, Timestamp end,
                                               const std::string& data_file = {});

// Writes a cache file under a temporary name beside `path`; commit() renames it
// into place (atomic, so a concurrent reader sees the old file, the new one or
// none), and a writer destroyed before commit() removes its temporary file.
class BarCacheWriter {
 public:
  // Throws std::system_error when the temporary file cannot be created.
  BarCacheWriter(std::string path, const BarCacheKey& key);
  ~BarCacheWriter();
  BarCacheWriter(const BarCacheWriter&) = delete;
  BarCacheWriter& operator=(const BarCacheWriter&) = delete;

  void append(const Bar& bar);  // bars in strictly increasing time order
  // Throws std::system_error when writing or renaming fails.
  void commit();

 private:
  void flush();

  std::string path_, temp_path_;
  BarCacheKey key_;
  int fd_ = -1;
  std::unique_ptr<unsigned char[]> buffer_;
  std::unique_ptr<::XXH3_state_s, void (*)(::XXH3_state_s*)> body_hash_;  // of the records written
  std::size_t buffered_ = 0;  // bytes in buffer_
  std::uint64_t rows_ = 0;
  std::uint64_t offset_ = kBarCacheHeaderSize;  // where the next flush goes
  Timestamp first_ts_ = 0, last_ts_ = 0;
};

}  // namespace qtrader::data_detail
