// The trades of report.html as column arrays: one JSON array per column,
// strategy and symbol as indexes into their name lists, times as offsets.
// 46 000 trades as objects were 15 MB of a 1000-symbol run's report.
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/run_files.hpp"

namespace qtrader::report {

// At most `max_trades` rows (0: all): those with the largest |net P&L|, kept
// in the run's order; `number` holds each row's 1-based position in trades.csv.
// Layout (read by report.js `tradeRows`):
//   {total, strategies[], symbols[], time_unit, time_origin,   (seconds)
//    number[], strategy[], symbol[], long[] (1/0),
//    entry[] (time_origin + entry * time_unit), held[] (exit - entry, units),
//    entry_price[], exit_price[], quantity[], commission[], net_pnl[], gross_pnl[]}
nlohmann::ordered_json trade_table(const std::vector<metrics::TradeRow>& trades,
                                   std::size_t max_trades);

}  // namespace qtrader::report
