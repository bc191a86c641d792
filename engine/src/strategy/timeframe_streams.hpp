// The consolidated bar streams of a run (docs/data.md "Consolidated bars"):
// one BarConsolidator per (symbol, timeframe) that a strategy subscribed to
// or an indicator reads, shared by all of them. Each source bar of a symbol
// is fed to that symbol's streams; the bars it completes stay readable until
// the symbol's next bar, so the slice that follows can deliver them.
#pragma once

#include <cstddef>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "qtrader/bar_consolidator.hpp"

namespace qtrader {

class TimeframeStreams {
 public:
  explicit TimeframeStreams(std::size_t symbol_count);

  // How `s`'s source bars are timed: the zone its windows align to (local
  // clock, local day) and the declared length of one source bar (Source:
  // not declared, so a window is handed out on the next window's first bar).
  // `known_size`: the bar length the run found when none is declared (1d for
  // a daily source), used only to refuse finer timeframes.
  void set_source(SymbolId s, TimeZone zone, Timeframe bar_size, Timeframe known_size = {});
  // Why `tf` cannot be built from `s`'s bars (finer than they are); "" when it can.
  std::string too_fine(SymbolId s, const Timeframe& tf) const;
  // The name of `s`'s source timeframe ("" when not declared).
  const std::string& source_name(SymbolId s) const { return symbols_.at(s).source_name; }

  // The stream of (s, tf), created on first use; -1 when tf is the source's
  // own bars. Throws std::invalid_argument when tf is finer than the source's
  // declared bar size. A stream created after the first bar drops its first
  // (partial) window.
  int stream(SymbolId s, const Timeframe& tf);

  // Feeds a source bar to its symbol's streams; returns the streams of the symbol.
  std::span<const int> add(const Bar& bar);
  // What the last bar of the stream's symbol completed, oldest first.
  std::span<const Bar> completed(int stream) const {
    const Stream& st = streams_[static_cast<std::size_t>(stream)];
    return {st.done.data(), static_cast<std::size_t>(st.count)};
  }
  const std::string& name(int stream) const { return streams_[static_cast<std::size_t>(stream)].name; }
  bool started() const noexcept { return started_; }

 private:
  struct Stream {
    BarConsolidator consolidator;
    std::string name;
    std::array<Bar, 2> done{};
    int count = 0;
  };
  struct SymbolClock {
    TimeZone zone;
    Timeframe bar_size;  // Source: not declared
    Timeframe known_size;  // bar_size, or what the run found (1d)
    std::string source_name;
    std::vector<int> streams;
    bool started = false;  // a bar of the symbol was seen
  };
  std::vector<SymbolClock> symbols_;
  std::deque<Stream> streams_;  // a deque: names stay put while streams are added
  bool started_ = false;
};

// Splits "close@5m" into the field and its timeframe (Source when there is no
// '@'). Throws std::invalid_argument for an unknown timeframe.
std::string_view split_timeframe(std::string_view field, Timeframe& tf);

}  // namespace qtrader
