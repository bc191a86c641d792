// bar_coverage: the first and last date of a symbol's file, for the error of
// a backtest whose dates miss every file.
#include <limits>

#include "qtrader/data.hpp"

namespace qtrader {

BarCoverage bar_coverage(const DataSourceConfig& source, const std::string& file,
                         const BarCacheConfig& cache) {
  BarCoverage c;
  auto stream = open_bar_stream(source, file, 0, std::numeric_limits<Timestamp>::min(),
                                std::numeric_limits<Timestamp>::max(), cache);
  Bar bar;
  while (stream->next(bar)) {
    if (c.bars++ == 0) c.first = bar.ts;
    c.last = bar.ts;
  }
  return c;
}

}  // namespace qtrader
