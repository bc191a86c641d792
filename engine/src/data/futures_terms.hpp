// What the services need of a run's futures (docs/futures.md), by symbol
// handle: each contract's multiplier and margins, each continuous symbol's
// contracts and which one an order on it trades, and the rolls. Built once
// per run (engine/src/engine/futures_setup); empty when the run has none, and
// then every service behaves exactly as without futures.
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader {

struct ContractTerms {
  bool future = false;             // a contract (or a continuous symbol) of a contracts file
  bool continuous = false;         // a root's continuous series: orders on it trade a contract
  double multiplier = 1.0;
  double initial_margin = 0.0;     // per contract
  double maintenance_margin = 0.0; // per contract
  double tick_size = 0.0;
};

// One roll of a continuous symbol: at the valuation of `decided` execution
// closes each strategy's position in `from` and opens it in `to` (two market
// orders, filled at the next bar's open of each contract).
struct ScheduledRoll {
  Timestamp decided = 0;
  Timestamp first_bar = 0;
  SymbolId continuous = kNoSymbol, from = kNoSymbol, to = kNoSymbol;
  // How the series is adjusted at this roll: a price p of the old contract
  // is p * scale + shift in the new one's (none: 1 and 0; difference: 1 and
  // new - old close; ratio: new / old close and 0). Working orders moved to
  // the new contract get their prices so.
  double scale = 1.0, shift = 0.0;
};

struct FuturesTerms {
  std::vector<ContractTerms> by_symbol;           // empty: no futures in the run
  std::vector<std::vector<SymbolId>> contracts;   // by symbol: a continuous symbol's contracts, in expiry order
  // By symbol: for a continuous symbol, (orders created from, contract) in
  // time order: an order created at t trades the last entry's contract whose
  // time is <= t (the first entry's time is the lowest timestamp).
  std::vector<std::vector<std::pair<Timestamp, SymbolId>>> routes;
  std::vector<ScheduledRoll> rolls;               // by decided, then continuous symbol

  bool any() const noexcept { return !by_symbol.empty(); }
  bool is_future(SymbolId s) const noexcept { return s < by_symbol.size() && by_symbol[s].future; }
  bool is_continuous(SymbolId s) const noexcept { return s < by_symbol.size() && by_symbol[s].continuous; }
  double multiplier(SymbolId s) const noexcept { return s < by_symbol.size() ? by_symbol[s].multiplier : 1.0; }
  // The contract an order on `s` created at `created` trades (`s` itself
  // unless `s` is continuous).
  SymbolId route(SymbolId s, Timestamp created) const noexcept {
    if (!is_continuous(s) || routes[s].empty()) return s;
    const auto& r = routes[s];
    auto it = std::upper_bound(r.begin(), r.end(), created,
                               [](Timestamp t, const std::pair<Timestamp, SymbolId>& e) { return t < e.first; });
    return it == r.begin() ? r.front().second : std::prev(it)->second;
  }
};

}  // namespace qtrader
