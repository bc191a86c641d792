// open_bar_stream: a data file's bars from the binary cache, made on a miss.
#include "data/bar_cache.hpp"

#include <cstdlib>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "data/bar_cache_file.hpp"
#include "data/content_hash_index.hpp"
#include "data/tick_bar_stream.hpp"
#include "data/xxh64.hpp"
#include "qtrader/data.hpp"

namespace qtrader {

namespace fs = std::filesystem;
using namespace data_detail;

namespace {

// Writes the cache file for `file` from its full CSV read. False, with no file
// left behind, when the CSV has a bad row anywhere (the caller's CSV stream
// then reports it exactly as without a cache, if it lies in the run's dates),
// when the file changed while it was read, or when the cache folder cannot be
// written.
bool write_cache_file(const DataSourceConfig& source, const std::string& file, const FileStat& st,
                      const BarCacheKey& key, const std::string& dir, const std::string& path) {
  try {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return false;
    BarCacheWriter writer(path, key);
    {
      constexpr Timestamp all_from = std::numeric_limits<Timestamp>::min();
      constexpr Timestamp all_to = std::numeric_limits<Timestamp>::max();
      // A tick file is kept as the bars its ticks make, so a second run reads
      // bars instead of folding millions of trades again.
      auto csv = source.kind == "ticks" ? open_tick_bar_stream(source, file, 0, all_from, all_to)
                                        : open_csv_stream(source, file, 0, all_from, all_to);
      Bar bar;
      while (csv->next(bar)) writer.append(bar);
    }
    // Bars of other bytes than those hashed must not be filed under that hash.
    if (stat_file(file) != st) return false;
    writer.commit();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

// nullptr when the cache cannot serve this file (its bars then come from the CSV).
std::unique_ptr<BarStream> open_through_cache(const DataSourceConfig& source,
                                              const std::string& file, SymbolId symbol,
                                              Timestamp start, Timestamp end,
                                              const std::string& dir) {
  const auto st = stat_file(file);
  if (!st) return nullptr;
  std::error_code ec;
  const std::string path = fs::absolute(file, ec).lexically_normal().string();
  if (ec) return nullptr;
  const auto content = content_hash(dir, path, *st);
  if (!content) return nullptr;
  const BarCacheKey key{*content, xxh64(bar_shape_key(source)), st->size};
  const std::string cache_file =
      fmt::format("{}/{}-{}.bars", dir, hex64(key.content_hash), hex64(key.config_hash));
  if (auto s = open_bar_cache_file(cache_file, key, symbol, start, end, path)) return s;
  // Missing, or unreadable, truncated, of another version: (re)made, never trusted.
  if (!write_cache_file(source, file, *st, key, dir, cache_file)) return nullptr;
  return open_bar_cache_file(cache_file, key, symbol, start, end, path);
}

}  // namespace

std::string bar_shape_key(const DataSourceConfig& s) {
  // Revision 2: the time zone is applied (revision 1 read every file as UTC).
  std::string key = fmt::format("csv-bars-2|{}|{}|{}|{}|{},{},{},{},{},{},{},{},{}", s.adapter,
                                s.layout, s.price_mode, s.timezone, s.columns.date, s.columns.time,
                                s.columns.open, s.columns.high, s.columns.low, s.columns.close,
                                s.columns.adj_close, s.columns.volume, s.columns.open_interest);
  // The dialect (docs/data.md "Reading files"); characters as numbers, so no
  // delimiter can be mistaken for the key's own separators.
  // Formats with their lengths, so no two pairs make the same key.
  key += fmt::format("|dialect:{},{},{}|{}:{}|{}:{}", static_cast<int>(s.delimiter),
                     static_cast<int>(s.quote), s.header ? 1 : 0, s.date_format.size(),
                     s.date_format, s.time_format.size(), s.time_format);
  for (const auto& c : s.columns_by_name) key += "|" + c.field + "=" + c.header;
  // A tick file's bars are its ticks folded into bar_size windows.
  if (s.kind == "ticks") key += fmt::format("|ticks:{}:{}", s.bar_size.size(), s.bar_size);
  return key;
}

std::string default_bar_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && xdg[0] == '/') return (fs::path(xdg) / "qtrader" / "bars").string();
  const char* home = std::getenv("HOME");
  if (home && home[0] != '\0') return (fs::path(home) / ".cache" / "qtrader" / "bars").string();
  return "";
}

std::unique_ptr<BarStream> open_bar_stream(const DataSourceConfig& source, const std::string& file,
                                           SymbolId symbol, Timestamp start, Timestamp end,
                                           const BarCacheConfig& cache) {
  if (cache.enabled) {
    const std::string dir = cache.dir.empty() ? default_bar_cache_dir() : cache.dir;
    if (!dir.empty())
      if (auto s = open_through_cache(source, file, symbol, start, end, dir)) return s;
  }
  // Ticks are folded into bars as they are read.
  if (source.kind == "ticks") return open_tick_bar_stream(source, file, symbol, start, end);
  return open_csv_stream(source, file, symbol, start, end);
}

}  // namespace qtrader
