#pragma once
// The seam between the engine and where market data comes from (docs/live.md):
// a file replayed in real time or at N×, or a network feed (FIX 4.4 market
// data through QuickFIX). The engine builds its bars from these updates.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader::live {

// One update from a feed. A Trade carries price and size; a Bar a finished
// bar (open, high, low, close, volume; `ts` its open time, as in a backtest).
struct FeedUpdate {
  enum class Kind : std::uint8_t { Trade, Bar };
  Kind kind = Kind::Trade;
  std::string symbol;
  Timestamp ts = 0;               // ns since the epoch (UTC)
  double price = kNaN;            // Trade
  double size = kNaN;             // Trade
  double open = kNaN, high = kNaN, low = kNaN, close = kNaN, volume = kNaN;  // Bar
  // Bar: its BarFlag bits where the feed knows them (a replay: the session's
  // last bar, a symbol's last bar); 0 from a network feed.
  std::uint8_t flags = 0;
};

class MarketFeed {
 public:
  virtual ~MarketFeed() = default;
  virtual std::string name() const = 0;
  virtual void start(const std::vector<std::string>& symbols) = 0;  // connect, subscribe
  virtual void stop() = 0;
  virtual bool connected() const = 0;
  // Updates received since the last call, in arrival order, waiting up to
  // `wait` for the first one. Empty on a timeout.
  virtual std::vector<FeedUpdate> poll(std::chrono::milliseconds wait) = 0;
  // True once the feed has nothing more to send (a replay at its end).
  virtual bool finished() const = 0;
};

}  // namespace qtrader::live
