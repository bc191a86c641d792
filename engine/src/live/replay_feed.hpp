// The replay feed (docs/live.md "Feeds"): a backtest's data sources, read as
// `qtrader run` reads them (open_market_data), handed out one timestamp at a
// time on the wall clock — in real time, at N×, or as fast as the engine
// takes them. The tool for demos and for the tests that compare a live
// session with a backtest.
#pragma once

#include <atomic>
#include <chrono>
#include <optional>

#include "live/market_feed.hpp"
#include "qtrader/data.hpp"
#include "qtrader/symbol_table.hpp"

namespace qtrader::live {

class ReplayFeed final : public MarketFeed {
 public:
  // `speed`: engine seconds per wall second (1: real time); 0: no waiting.
  ReplayFeed(BarMerger bars, const SymbolTable& symbols, double speed);

  std::string name() const override { return "replay"; }
  void start(const std::vector<std::string>& symbols) override;
  void stop() override { connected_ = false; }
  bool connected() const override { return connected_; }
  std::vector<FeedUpdate> poll(std::chrono::milliseconds wait) override;
  bool finished() const override { return exhausted_ && !pending_; }
  // A resumed session has run these timestamps already: they are skipped unpaced.
  void skip_through(Timestamp ts) { skip_through_ = ts; }

 private:
  using Clock = std::chrono::steady_clock;
  bool read_next();  // the next timestamp's bars into batch_

  BarMerger bars_;
  const SymbolTable& symbols_;
  double speed_;
  bool connected_ = false;
  bool exhausted_ = false;
  std::optional<Timestamp> pending_;  // batch_'s timestamp, not yet handed out
  std::vector<Bar> batch_;
  std::vector<std::uint8_t> flags_;
  Timestamp first_ts_ = 0;
  Clock::time_point wall_start_;
  Timestamp skip_through_ = 0;
};

}  // namespace qtrader::live
