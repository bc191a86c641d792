// The files of a results folder, read back as plain rows. Shared by the
// metrics and the report so that both see the same numbers.
#pragma once

#include <limits>
#include <string>
#include <vector>

#include "qtrader/time_zone.hpp"
#include "qtrader/types.hpp"

namespace qtrader::metrics {

struct EquityRow {
  Timestamp ts;
  double cash, equity;
  // A run with futures writes the notional exposure (quantity x multiplier x
  // price; docs/futures.md); NaN otherwise, where equity - cash is it.
  double net_exposure = std::numeric_limits<double>::quiet_NaN();
};

struct TradeRow {
  std::string strategy, symbol;
  Timestamp entry_time, exit_time;
  double entry_price, exit_price, quantity, gross_pnl, commission, net_pnl;
  bool is_long;
};

struct FillRow {
  Timestamp ts;
  std::string strategy, symbol;
  bool is_buy;
  double quantity, price, commission;  // quantity > 0
  double multiplier = 1.0;             // a future's (fills.csv's column in a run with futures)
};

// benchmark.csv: the run's benchmark as prices (a returns benchmark is
// written as its growth of 1).
struct BenchmarkPrice {
  Timestamp ts;
  double price;
};

struct RunFiles {
  std::vector<EquityRow> equity;  // in time order
  std::vector<TradeRow> trades;
  std::vector<FillRow> fills;     // in time order
  double initial_equity = 0.0;    // summary.json, else the first equity row
  bool has_summary = false;
  std::vector<BenchmarkPrice> benchmark;  // empty: no benchmark.csv
  // The zone whose local days day_end_equity counts: summary.json's
  // exchange_timezone when the run wrote instants, else UTC (dates are
  // already the exchange's local dates).
  TimeZone day_zone;
};

// Throws NotARunError without equity.csv; trades.csv and fills.csv may be
// missing (a run that failed early). A malformed row throws naming file:line.
RunFiles read_run_files(const std::string& dir);

}  // namespace qtrader::metrics
