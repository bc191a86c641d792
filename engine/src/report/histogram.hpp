// Histograms for the report's distribution charts (daily returns, trade
// P&L), binned here so that the page carries a few dozen counts instead of
// every value (and the trade histogram counts every trade, not only those the
// page lists).
#pragma once

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

namespace qtrader::report {

// `bins` equal-width bins over [1st, 99th] percentile of the finite values;
// values beyond fall into the first or last bin (`clipped_low`/`clipped_high`
// say how many), so one outlier cannot squash the rest into a single bar.
// {lo, width, counts[], n, clipped_low, clipped_high}; null without values.
nlohmann::ordered_json histogram(std::vector<double> values, std::size_t bins = 40);

}  // namespace qtrader::report
