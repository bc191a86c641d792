// The recent bars of every symbol, for ctx:value and ctx:history (strategies)
// and the risk context. One ring of bars per symbol; every ring keeps the
// deepest history any script has asked for, so steady state allocates nothing.
// A ring grows (rarely) when a script asks for a deeper window: it keeps what
// it held and fills the rest as new bars arrive. Asking once in on_init
// therefore gives full windows from the first bar on.
//
// Readers (strategy and risk contexts) hold it const: a read can only leave a
// request for more depth (want), which the ring applies before its next bar.
// The bars a read returns are the same either way: a deeper ring holds no
// older bar until new ones arrive.
#pragma once

#include <string>
#include <string_view>

#include <cstddef>
#include <string_view>
#include <vector>

#include "qtrader/indicators.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

// A bar field as history reads it: the indicators' BarField, or the bar's time.
struct HistoryField {
  BarField field = BarField::Close;
  bool time = false;  // "ts" / "time": the bar's timestamp (ns)
};
// Throws std::invalid_argument naming the known fields.
HistoryField parse_history_field(std::string_view name);

class BarHistory {
 public:
  // Deepest depth a script may ask for: bounds the memory a script can claim.
  static constexpr int kMaxDepth = 1'000'000;

  explicit BarHistory(std::size_t symbol_count, int initial_depth = 1);

  // Appends the bar to its symbol's ring (the bar becomes ago = 0).
  void push(const Bar& bar);
  // Keeps at least `depth` bars per symbol from now on. Throws
  // std::invalid_argument above kMaxDepth.
  void reserve(int depth);
  // Asks for at least `depth` bars from the next bar on (the readers' reserve).
  // Throws std::invalid_argument above kMaxDepth.
  void want(int depth) const;
  // The depth kept, counting requests not applied yet.
  int depth() const noexcept { return wanted_ > depth_ ? wanted_ : depth_; }

  // The field `ago` bars back (0 = latest); NaN when not held (before the
  // symbol's first bar, or older than the kept depth).
  double value(SymbolId s, HistoryField f, int ago) const noexcept;
  // The last min(n, held) values, oldest first, into `out` (cleared first).
  void history(SymbolId s, HistoryField f, int n, std::vector<double>& out) const;
  // Bars of `s` currently held.
  int held(SymbolId s) const noexcept;

  // Checkpoints (strategy_snapshot.cpp): the depth and the held bars, and back.
  std::string snapshot() const;
  void restore(std::string_view json);

 private:
  struct Ring {
    std::vector<Bar> bars;   // capacity depth_; bars[(head + depth_ - 1 - ago) % depth_] is `ago` back
    std::size_t head = 0;    // where the next bar goes
    std::size_t count = 0;   // bars held, <= depth_
  };
  static double field(const Bar& b, HistoryField f) noexcept {
    return f.time ? static_cast<double>(b.ts) : field_of(b, f.field);
  }
  const Bar& at(const Ring& r, int ago) const noexcept;

  std::vector<Ring> rings_;
  int depth_;
  mutable int wanted_ = 0;  // the deepest request since the last push
};

}  // namespace qtrader
