// The market data dialect (docs/fix.md "Market data") read into FeedUpdates:
// bar entries (MDEntryType 4 open, 7 high, 8 low, 5 close, B volume; their
// MDEntryDate/MDEntryTime the bar's open time) and trades (2).
#pragma once

#include <string>
#include <vector>

#include "fix/quickfix.hpp"
#include "live/market_feed.hpp"

namespace qtrader::fix {

// The bars and trades of a 35=X, in the order of its entries (a bar at its
// first entry). Entries of other types, and deletions, are skipped.
std::vector<live::FeedUpdate> updates_from_incremental(const FIX::Message& message);
// The bar of a 35=W (its trades are the last trade, already seen: skipped).
std::vector<live::FeedUpdate> updates_from_snapshot(const FIX::Message& message);

}  // namespace qtrader::fix
