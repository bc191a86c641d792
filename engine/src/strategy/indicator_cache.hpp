// Indicators requested by strategies, keyed by (symbol, kind, field, args) so
// that two strategies asking for the same one share it; each is updated once
// per bar of its symbol, before any strategy sees the bar.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/types.hpp"

#include "qtrader/indicators.hpp"

namespace qtrader {

class IndicatorCache {
 public:
  explicit IndicatorCache(std::size_t symbol_count) : seen_symbol_(symbol_count, 0), by_symbol_(symbol_count) {}

  // Throws std::invalid_argument for an unknown kind or field, or bad args.
  // `stream` -1: on the symbol's source bars; else on that consolidated
  // stream's completed bars (TimeframeStreams), named `timeframe`.
  const Indicator* get(std::string_view kind, SymbolId symbol, std::string_view field,
                       std::span<const double> args, int stream = -1,
                       std::string_view timeframe = {});
  void update(const Bar& bar) {
    if (!deferred_.empty()) release(bar.symbol, -1);
    ++seen_symbol_[bar.symbol];
    for (Indicator* i : by_symbol_[bar.symbol]) i->update(bar);
  }
  // A completed bar of a consolidated stream.
  void update_stream(int stream, const Bar& bar) {
    const auto s = static_cast<std::size_t>(stream);
    if (seen_stream_.size() <= s) seen_stream_.resize(s + 1, 0);
    if (!deferred_.empty()) release(kNoSymbol, stream);
    ++seen_stream_[s];
    if (s < by_stream_.size())
      for (Indicator* i : by_stream_[s]) i->update(bar);
  }

  // Checkpoints (docs/checkpoints.md; strategy_snapshot.cpp): each indicator
  // as it was asked for, in order, with the bars of its symbol (or stream)
  // gone by before it, as JSON.
  std::string snapshot() const;
  // A resumed run, before on_init and the bars up to the checkpoint: each
  // indicator of the snapshot is made again, in the order first asked for,
  // and takes bars only once as many have gone by as when it was asked, so
  // it ends the catch-up as it was (on_init then finds its own ones made).
  void prepare(std::string_view json);

 private:
  struct Asked {
    std::string kind, field, timeframe;
    SymbolId symbol;
    int stream;
    std::vector<double> args;
    std::uint64_t after;  // bars of its symbol or stream before it
  };
  struct Deferred {
    Indicator* indicator;
    SymbolId symbol;
    int stream;
    std::uint64_t after;
  };
  void add(Indicator* indicator, SymbolId symbol, int stream);
  void release(SymbolId symbol, int stream);  // the deferred ones whose time has come

  std::vector<Asked> asked_;
  std::vector<std::uint64_t> seen_symbol_, seen_stream_;
  std::vector<Deferred> deferred_;
  bool preparing_ = false;
  std::map<std::string, std::unique_ptr<Indicator>> owned_;
  std::vector<std::vector<Indicator*>> by_symbol_;
  std::vector<std::vector<Indicator*>> by_stream_;
};

}  // namespace qtrader
