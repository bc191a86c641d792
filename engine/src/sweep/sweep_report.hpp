// sweep.html: a sweep's rows as a page that opens offline — a heatmap of a
// metric over two axes, the best points and the metric's distribution
// (docs/sweep.md, "Report"). The page renders itself from a JSON block.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "qtrader/sweep.hpp"

namespace qtrader {

// Writes <dir>/sweep.html; `metric` is the one shown first, `total` the
// points the sweep runs (rows may be fewer while it is unfinished).
// "orcl.yaml: fast=5,10 slow=30,40".
std::string sweep_title(const std::string& backtest, const std::vector<SweepAxis>& axes);

void write_sweep_report(const std::string& dir, const std::string& title, const std::vector<SweepAxis>& axes,
                        const std::map<std::size_t, SweepRow>& rows, std::size_t total,
                        const std::string& metric);

}  // namespace qtrader
