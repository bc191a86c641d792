// The exchanges of a run: each symbol's trading day (its source's exchange
// time zone and calendar) and the run's own, which day-end equity, daily
// returns and borrow fees count in (docs/data.md "Time zones and trading days").
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/exchange_clock.hpp"

namespace qtrader {

struct Universe;

struct ExchangeSetup {
  std::vector<ExchangeClock> clocks;  // by symbol id
  ExchangeClock run;                  // the run's trading day
  std::map<std::string, std::shared_ptr<const ExchangeCalendar>> calendars;  // by name
};

// Loads each calendar the sources name from `data_dir`/calendars/ once. The
// run's zone is the backtest's `exchange_timezone`, else the one zone all its
// sources share; sources in different zones without it are a ConfigError at
// the backtest's data.sources entry.
ExchangeSetup make_exchange_setup(const std::string& data_dir, const BacktestConfig& backtest,
                                  const Universe& universe);

}  // namespace qtrader
