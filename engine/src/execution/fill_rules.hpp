// Where an order fills against one bar, by order type. Only the bar's own
// prices are used (open, high, low, close), never a later bar's.
//
//   market           the open (same_bar_close: the close)
//   market_on_close  the close
//   limit            buy: the open if open <= limit (a gap through the limit
//                    fills at the better open), else the limit if low <= limit;
//                    sell mirrored with high
//   stop             buy: the open if open >= stop (gap), else the stop if
//                    high >= stop; sell mirrored with low
//   stop_limit       until triggered as a stop; triggered by a gap at the open
//                    it works as a limit from the open; triggered inside the
//                    bar it fills at the stop (its limit is on the fillable
//                    side, checked at acceptance); once triggered, a limit
//   trailing_stop    a stop at the current trail level; after the bar (when
//                    still working) the level follows the close: for a sell
//                    max(level, best close - trail), for a buy the mirror
//
// These are backtrader's BackBroker rules (_try_exec_*), which the golden and
// stop-loss tests reproduce.
#pragma once

#include "execution/working_order.hpp"

namespace qtrader {

struct BarMatch {
  bool fills = false;
  double price = kNaN;
  bool at_open = false;   // the bar's open decided it (a gap or a market order)
  bool triggers = false;  // a stop-limit's stop was reached: it works as a limit from now on
};

// Tests `order` against `bar` without changing it, so that execution can ask
// "would it fill, and first?" of any order; the caller that acts on the
// answer records `triggers` (see trigger()).
// `market_at_close`: the same_bar_close policy (market orders take the close).
BarMatch match_bar(const WorkingOrder& order, const Bar& bar, bool market_at_close);

// Records what `m` found for `order`: a stop-limit stays triggered once its stop was reached.
inline void trigger(WorkingOrder& order, const BarMatch& m) {
  if (m.triggers) order.triggered = true;
}

// The limit that caps slippage on this order's fill (NaN for none).
double price_limit(const WorkingOrder& order);

// Sets a trailing stop's first level from the last known close `reference`.
void start_trailing(WorkingOrder& order, double reference);
// Moves a working trailing stop after `bar`.
void follow_trailing(WorkingOrder& order, const Bar& bar);

}  // namespace qtrader
