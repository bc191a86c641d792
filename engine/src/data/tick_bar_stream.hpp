// A tick source's bars (`kind: ticks`): trades folded into time bars of the
// source's bar_size as they are read, so a year of ticks never sits in
// memory. docs/data.md "Ticks".
#pragma once

#include <memory>
#include <string>

#include "qtrader/data.hpp"

namespace qtrader {

// Bars of `source.bar_size` (window start as ts; open, high, low, close of the
// trade prices, volume the sum of sizes; no bar for a window without trades)
// whose start falls in [start, end] (end inclusive on whole days). A window is
// handed out when the first trade of a later window is read, or at the end of
// the file. Throws DataError as TickReader does.
std::unique_ptr<BarStream> open_tick_bar_stream(const DataSourceConfig& source,
                                                const std::string& file, SymbolId symbol,
                                                Timestamp start, Timestamp end);

}  // namespace qtrader
