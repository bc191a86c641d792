// Writes a run's CSV files as the run goes (fills.csv, equity.csv, records.csv,
// positions.csv) and at its end (trades.csv, summary.json). Numbers are printed in the shortest form
// that reads back to the same double.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "portfolio/portfolio.hpp"
#include "qtrader/config.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/symbol_table.hpp"
#include "results/positions_file.hpp"
#include "results/trade_attribution.hpp"
#include "qtrader/timestamp_format.hpp"

namespace qtrader {


class ResultsWriter {
 public:
  // `times`: the run's one form for every timestamp column (timestamp_format.hpp);
  // `day_zone`: the run's exchange zone, whose local days end positions.csv's days;
  // `futures`: a run with futures (docs/futures.md), whose fills.csv ends
  // with `multiplier,origin` (origin: roll, margin_call or empty) and whose
  // equity.csv with `gross_exposure,net_exposure` (notional); without futures
  // the files keep their columns.
  ResultsWriter(const std::string& dir, EventBus& bus, const SymbolTable& symbols,
                const std::vector<std::string>& strategy_ids, TimestampFormat times = {},
                const TimeZone& day_zone = {}, bool futures = false);
  ~ResultsWriter();

  void write_trades(const std::vector<ClosedTrade>& trades);
  void write_summary(const RunSummary& summary);
  void close();  // flushes the streaming files
  // positions.csv values futures with their multipliers (docs/futures.md).
  void use_futures(const FuturesTerms& futures);

  // Checkpoints (docs/checkpoints.md; results_snapshot.cpp): the length of
  // each streaming file (flushed), the day positions.csv is gathering and the
  // trade attribution, as JSON.
  std::string snapshot();
  // A resumed run: each streaming file becomes the first bytes the snapshot
  // counted of the killed run's copy, NAME + `saved_suffix` beside it.
  void restore(std::string_view json, const std::string& saved_suffix);
  // The streaming files' names (fills.csv, ...), for the resume to set aside.
  static std::vector<std::string> streaming_files();

 private:
  struct File;
  std::string dir_;
  const SymbolTable& symbols_;
  const std::vector<std::string>& strategy_ids_;
  TimestampFormat times_;
  std::unique_ptr<File> fills_, equity_, records_;
  std::vector<double> multipliers_;  // by symbol, with futures (use_futures)
  PositionsFile positions_;
  TradeAttribution attribution_;
};

}  // namespace qtrader
