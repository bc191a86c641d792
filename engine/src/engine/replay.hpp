// `qtrader replay RUN_DIR`: the run's portfolio and results files rebuilt from
// its events.sqlite alone — bars, corporate actions, signals, orders, fills,
// records and the valuation clock, fed through the real Portfolio and
// ResultsWriter on a bus of their own, no scripts, no market data — and
// checked against what the run wrote: each replayed portfolio_state against
// the stored one as the replay goes (the first difference names its event),
// then trades.csv, fills.csv, equity.csv, positions.csv, records.csv and
// metrics.json (recomputed from the rebuilt files) byte for byte.
#pragma once

#include <string>

namespace qtrader {

struct ReplayOutcome {
  bool identical = false;
  std::string report;  // what was compared, or the first difference
};

// Throws DataError for a folder without a readable events.sqlite, or a store
// written before replay existed (no `runs.settings`).
ReplayOutcome replay_run(const std::string& run_dir);

}  // namespace qtrader
