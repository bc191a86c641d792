// The run's model signals, point-in-time (docs/signals.md): every value of
// every `signals:` source, kept per (signal name, symbol) in order of
// availability, so that a look-up at simulated time T sees only values whose
// availability is at or before T. It owns the embargo windows, which it
// learns from the bars as they arrive (note_bar), never ahead of them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/script_api.hpp"
#include "qtrader/symbol_table.hpp"

namespace qtrader {

// What summary.json records of a source: its file's XXH64 and its version.
struct SignalSourceRecord {
  std::string name, file, version, hash;  // hash: 16 lowercase hex digits
  std::size_t rows = 0;
};

class SignalBook final : public SignalLookup {
 public:
  // Reads every source's file (DataError on a bad file). Rows of symbols the
  // run does not load are counted in the hash but never delivered. A signal
  // name defined by two sources is a ConfigError at the second source.
  // With `bus`, subscribes to the bars when a source has an embargo (subscribe
  // it before execution, so that on_fill sees the windows of its bar).
  SignalBook(const std::vector<SignalSourceSpec>& sources, const SymbolTable& symbols, EventBus* bus = nullptr);
  SignalBook(const SignalBook&) = delete;
  SignalBook& operator=(const SignalBook&) = delete;

  std::optional<double> latest(std::string_view name, SymbolId symbol, Timestamp now) const override;
  // A bar of `symbol` at `ts` was published: closes embargo windows.
  void note_bar(SymbolId symbol, Timestamp ts);
  bool empty() const noexcept { return sources_.empty(); }
  const std::vector<SignalSourceRecord>& sources() const noexcept { return sources_; }

 private:
  struct Entry {
    Timestamp available, ts;
    double value;
  };
  struct Series {
    std::vector<Entry> entries;  // by availability, then file order
    std::vector<int> best;       // best[i]: the value delivered once entries[0..i] are available; -1: none
    Timestamp cutoff = 0;
    int embargo_bars = 0;        // 0: no embargo
    int bars_seen = 0;           // bars at or after the cutoff
    Timestamp window_end = -1;   // the (embargo_bars + 1)-th such bar; -1 while unknown
    void rank();                 // fills best, skipping embargoed entries once window_end is known
  };
  using BySymbol = std::vector<Series>;  // indexed by SymbolId

  std::map<std::string, BySymbol, std::less<>> series_;
  std::vector<std::vector<Series*>> embargoed_;  // per symbol: the series still waiting for their window end
  std::vector<SignalSourceRecord> sources_;
};

}  // namespace qtrader
