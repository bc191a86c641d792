// The working orders of every symbol in arrival order, and the indexes that
// let execution touch only the orders an event can concern (issue #14,
// "unbounded work"): a bar visits the limit and stop orders its range can
// reach, the orders that act on every bar (market, market-on-close, trailing
// stops, IOC, FOK, a DAY order before its first bar) and the ones whose time
// is up; an id finds its order at once; the running totals acceptance needs
// (working sells, working orders per strategy, a batch's market sales) are
// kept instead of rescanned.
//
// An order's place in the list is its slot; slots stay put until compact(),
// which execution calls only between bars. Indexes hold arrival numbers
// (`seq`), which never change, and the slot of a number is a binary search.
// Whatever touches an order's state that an index depends on calls the book
// (fill, retire, reindex), so the indexes always describe the live orders.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "execution/working_order.hpp"

namespace qtrader {

class OrderBook {
 public:
  explicit OrderBook(std::size_t symbols);

  // Arrival order; done orders stay until compact().
  std::vector<WorkingOrder>& orders(SymbolId s) { return books_[s].orders; }
  const std::vector<WorkingOrder>& orders(SymbolId s) const { return books_[s].orders; }

  // Appends an accepted order to its symbol's list and indexes it; its slot.
  std::size_t add(WorkingOrder w);
  bool is_working(OrderId id) const { return by_id_.count(id) != 0; }
  struct Location {
    SymbolId symbol;
    std::size_t slot;
  };
  // Where the working (not done) order `id` is.
  std::optional<Location> locate(OrderId id) const;
  // Its slot, when it is a working order of symbol `s`.
  std::optional<std::size_t> slot_of(SymbolId s, OrderId id) const;

  // w.filled += qty, keeping the working-sells total.
  void fill(WorkingOrder& w, double qty);
  // Marks w done (filled, cancelled, expired or refused) and drops it from every index.
  void retire(WorkingOrder& w);
  // After a change of what w is indexed by (a stop-limit triggered, a DAY
  // order learned its session's end).
  void reindex(WorkingOrder& w);
  // After a split rescaled the prices and quantities of symbol s's orders.
  void reindex_symbol(SymbolId s);

  // The slots of symbol bar.symbol's orders that the bar can concern,
  // ascending (arrival order). `midnight`: the bar is at the exchange's local
  // midnight, where every DAY order's day ends.
  void affected_by(const Bar& bar, bool midnight, std::vector<std::size_t>& out);
  // The slots of symbol s's live trailing stops, ascending.
  void trailing(SymbolId s, std::vector<std::size_t>& out) const;
  // The slots of the strategy's live bracket children on symbol s, ascending.
  void children_of(SymbolId s, StrategyIndex k, std::vector<std::size_t>& out) const;
  // Calls f(symbol, order) for each live market or market-on-close sell of
  // risk batch `batch` (not a bracket child), by symbol, then arrival.
  template <class F>
  void for_each_batch_sale(Timestamp batch, F&& f) const {
    for (auto it = batch_sales_.lower_bound({batch, 0, 0});
         it != batch_sales_.end() && std::get<0>(*it) == batch; ++it) {
      const SymbolId s = std::get<1>(*it);
      f(s, books_[s].orders[slot_by_seq(s, std::get<2>(*it))]);
    }
  }

  // Checkpoints: the arrival counter, so a restored book numbers new orders on.
  std::uint64_t next_seq() const noexcept { return next_seq_; }
  void set_next_seq(std::uint64_t seq) noexcept { next_seq_ = seq; }

  std::size_t live() const noexcept { return live_; }
  std::size_t live(SymbolId s) const noexcept { return books_[s].orders.size() - books_[s].done; }
  std::size_t live_of(StrategyIndex k) const noexcept {
    return k < live_by_strategy_.size() ? live_by_strategy_[k] : 0;
  }
  // The remaining quantity of strategy k's working sells on s (bracket children not counted).
  double working_sells(StrategyIndex k, SymbolId s) const;

  // Drops the done orders of symbol s once they are at least half its list,
  // so removal costs O(1) per order over a run.
  void compact(SymbolId s);

 private:
  using PriceKey = std::pair<double, std::uint64_t>;  // (price, seq)
  using TimeKey = std::pair<Timestamp, std::uint64_t>;
  struct SymbolBook {
    std::vector<WorkingOrder> orders;
    std::size_t done = 0;
    // Limits by limit price, stops (and untriggered stop-limits) by stop price.
    std::set<PriceKey> buy_limits, sell_limits, buy_stops, sell_stops;
    std::set<std::uint64_t> every_bar;  // concerned by every bar
    std::set<std::uint64_t> day;        // DAY orders: all end at a local-midnight bar
    std::set<TimeKey> due;              // GTD / DAY with a known end: due on a bar after the key
  };
  static BookKeys keys_of(const WorkingOrder& w);
  void insert(SymbolBook&, const WorkingOrder& w);
  void erase(SymbolBook&, const WorkingOrder& w);
  std::size_t slot_by_seq(SymbolId s, std::uint64_t seq) const;
  static std::uint64_t sells_key(StrategyIndex k, SymbolId s) {
    return (std::uint64_t{k} << 32) | s;
  }
  static bool counts_as_sell(const WorkingOrder& w) {
    return !w.is_child() && w.order.side == Side::Sell;
  }

  std::vector<SymbolBook> books_;
  std::uint64_t next_seq_ = 0;
  std::size_t live_ = 0;
  std::unordered_map<OrderId, std::pair<SymbolId, std::uint64_t>> by_id_;
  std::set<std::tuple<Timestamp, SymbolId, std::uint64_t>> batch_sales_;
  std::map<std::pair<SymbolId, StrategyIndex>, std::set<std::uint64_t>> children_;
  std::vector<std::size_t> live_by_strategy_;
  struct SellTotal {
    double quantity = 0.0;
    std::size_t orders = 0;
  };
  std::unordered_map<std::uint64_t, SellTotal> sells_;
  std::vector<std::uint64_t> scratch_;
};

}  // namespace qtrader
