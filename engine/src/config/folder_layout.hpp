// `--data DIR`: a source for a folder of SYMBOL.csv files, its layout read
// from a file's header row.
#pragma once

#include <string>

#include "qtrader/config.hpp"

namespace qtrader {

// The source `name` reading `dir`'s files. `sample_file`'s header decides the
// layout: Date,Open,High,Low,Close,Adj Close,Volume is yahoo,
// Date,Open,High,Low,Close,Volume[,OpenInterest] is ohlcv, any other header
// naming date (or datetime/timestamp), open, high, low and close (any case;
// blanks and underscores ignored) maps those columns by name; a file without
// such a header (or none readable) is read as yahoo.
DataSourceConfig folder_source(const std::string& name, const std::string& dir,
                               const std::string& sample_file);

}  // namespace qtrader
