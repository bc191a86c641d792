// A root's continuous series (docs/futures.md "Continuous contracts"): which
// contract is held when, decided from the contracts' own bars by the root's
// roll rule, and the stitched bars the strategies see, back-adjusted or not.
// Built once per run from whole files, so a series and its rolls do not
// depend on the run's dates.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "config/contracts_config.hpp"
#include "qtrader/data.hpp"
#include "qtrader/time_zone.hpp"

namespace qtrader {

// One move from contract `from` to `to` (indexes into the root's contracts).
struct RollPoint {
  std::size_t from = 0, to = 0;
  Timestamp decided = 0;    // the old contract's last bar in the series: the roll orders' time
  Timestamp first_bar = 0;  // the first bar of `to` in the series: the roll fills at its open
  double old_close = 0.0, new_close = 0.0;  // both contracts' closes at `decided`
};

struct ContinuousSeries {
  std::vector<Bar> bars;         // raw or back-adjusted, oldest first (symbol: kNoSymbol)
  std::vector<RollPoint> rolls;  // in time order
  std::size_t first_contract = 0;
};

// One contract's bars and, for the volume and open-interest rules, the
// activity compared at each close (parallel to `bars`).
struct ContractBars {
  std::vector<Bar> bars;
  std::vector<double> activity;
  std::string file;  // for errors
};

// `contracts` parallel to root.contracts. `zone`: the exchange's, whose local
// days the calendar rule counts. Throws DataError naming the file when a roll
// cannot be made (the next contract has no bar at the roll, a contract's data
// ends before its roll day).
ContinuousSeries build_continuous(const FuturesRootSpec& root, std::span<const ContractBars> contracts,
                                  const TimeZone& zone);

// A stream over `bars` in [start, end], stamped with `symbol`.
std::unique_ptr<BarStream> series_stream(std::shared_ptr<const std::vector<Bar>> bars, SymbolId symbol,
                                         Timestamp start, Timestamp end);

}  // namespace qtrader
