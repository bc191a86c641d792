// The binary bar cache (system.yaml data.bar_cache; docs/benchmarks.md
// "Binary bar cache"): each data file's rows parsed once by open_csv_stream
// and kept as fixed-size binary records, so later runs read bars without
// parsing text. A cache file is named by the XXH64 of the data file's bytes
// and of the source settings that shape its bars, so an edited file or a
// changed source setting never meets stale bars, and two paths with the same
// bytes share one file. open_bar_stream (qtrader/data.hpp) is the entry point.
#pragma once

#include <string>

#include "qtrader/config.hpp"

namespace qtrader {

// Everything in a source's configuration that changes the bars read from a
// file: adapter, layout, price mode, timezone, columns and the dialect
// (delimiter, quote, header, date_format, time_format). Its hash is half of
// a cache file's name. The leading revision must change whenever
// open_csv_stream's arithmetic changes, so older cache files stop matching.
std::string bar_shape_key(const DataSourceConfig& source);

// Where the cache lives when data.bar_cache.dir is empty:
// $XDG_CACHE_HOME/qtrader/bars when that variable holds an absolute path, else
// $HOME/.cache/qtrader/bars; "" (no cache) when neither is set.
std::string default_bar_cache_dir();

}  // namespace qtrader
