// A finished test run read back into the table t.run returns
// (docs/strategy-tests.md, "What a run holds"): the events the run recorded
// (signals, orders, rejections, order updates, fills, records) from
// events.sqlite, the trades from trades.csv, the final cash, equity and
// positions from its summary.
#pragma once

#include <string>

#include "qtrader/config.hpp"
#include "qtrader/engine.hpp"

namespace qtrader::testkit {

ParamValue read_run_results(const std::string& results_dir, const RunSummary& summary);

}  // namespace qtrader::testkit
