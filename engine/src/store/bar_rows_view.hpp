// The `bar_rows` view of events.sqlite: the `bars` chunks as one row per bar
// (seq, symbol, ts, open, high, low, close, volume, adj_close), in plain SQL,
// so sqlite3, pandas or DuckDB users need no BLOB decoding. SQLite has no
// function that reads a little-endian word, so the view takes each word
// apart byte by byte (instr of the byte in a 00..FF table) and rebuilds the
// int64, or the double from its sign, exponent and mantissa multiplied by
// exact powers of two: the values are bit-exact, NaN (an absent adj_close)
// reads NULL, and so does a magnitude outside 2^-134..2^239 (about 5e-41 to
// 9e71, never a price or a volume); subnormals read 0. It costs about
// 15 us of CPU a bar (4 530 bars: 0.07 s), against 0.05 s for
// `qtrader events --type bar` with its formatting.
#pragma once

#include <string>

namespace qtrader::bar_rows {

// CREATE VIEW IF NOT EXISTS bar_rows AS ...
std::string view_sql();

}  // namespace qtrader::bar_rows
