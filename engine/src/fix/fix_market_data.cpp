#include "fix/fix_market_data.hpp"

#include <map>
#include <optional>
#include <utility>

#include <spdlog/spdlog.h>

#include "fix/fix_order_mapping.hpp"
#include "fix/fix_time.hpp"

namespace qtrader::fix {

namespace {

// Bars being assembled from entries, keyed by symbol and open time, each
// placed in `out` at its first entry.
class BarAssembly {
 public:
  void add(const std::string& symbol, Timestamp ts, char type, double value,
           std::vector<live::FeedUpdate>& out) {
    auto [it, fresh] = index_.try_emplace(std::make_pair(symbol, ts), out.size());
    if (fresh) {
      live::FeedUpdate bar;
      bar.kind = live::FeedUpdate::Kind::Bar;
      bar.symbol = symbol;
      bar.ts = ts;
      out.push_back(std::move(bar));
    }
    live::FeedUpdate& bar = out[it->second];
    unsigned& seen = seen_[it->second];
    switch (type) {
      case '4': bar.open = value; seen |= 1; break;
      case '7': bar.high = value; seen |= 2; break;
      case '8': bar.low = value; seen |= 4; break;
      case '5': bar.close = value; seen |= 8; break;
      case 'B': bar.volume = value; seen |= 16; break;
      default: break;
    }
  }
  // Drops (and logs) the bars that lack one of the five entries.
  void drop_incomplete(std::vector<live::FeedUpdate>& out) const {
    std::vector<live::FeedUpdate> kept;
    for (std::size_t i = 0; i < out.size(); ++i) {
      const auto seen = seen_.find(i);
      if (out[i].kind != live::FeedUpdate::Kind::Bar || (seen != seen_.end() && seen->second == 31)) {
        kept.push_back(std::move(out[i]));
        continue;
      }
      spdlog::warn("FIX feed: the bar of {} at {} lacks some of open, high, low, close and volume: dropped",
                   out[i].symbol, fix_timestamp(out[i].ts));
    }
    out = std::move(kept);
  }

 private:
  std::map<std::pair<std::string, Timestamp>, std::size_t> index_;
  std::map<std::size_t, unsigned> seen_;  // by index in `out`: the entries received, one bit each
};

bool is_bar_entry(char type) {
  return type == '4' || type == '7' || type == '8' || type == '5' || type == 'B';
}

std::optional<Timestamp> entry_time(const FIX::FieldMap& entry) {
  return parse_fix_date_time(field_or_empty(entry, FIX::FIELD::MDEntryDate),
                             field_or_empty(entry, FIX::FIELD::MDEntryTime));
}

double entry_value(const FIX::FieldMap& entry, char type) {
  return parse_fix_number(field_or_empty(entry, type == 'B' ? FIX::FIELD::MDEntrySize : FIX::FIELD::MDEntryPx));
}

}  // namespace

std::vector<live::FeedUpdate> updates_from_incremental(const FIX::Message& message) {
  std::vector<live::FeedUpdate> out;
  BarAssembly bars;
  FIX44::MarketDataIncrementalRefresh::NoMDEntries entry;
  const int n = message.groupCount(FIX::FIELD::NoMDEntries);
  for (int i = 1; i <= n; ++i) {
    message.getGroup(i, entry);
    if (field_or_empty(entry, FIX::FIELD::MDUpdateAction) == "2") continue;  // a deletion
    const std::string type = field_or_empty(entry, FIX::FIELD::MDEntryType);
    const std::string symbol = field_or_empty(entry, FIX::FIELD::Symbol);
    const auto ts = entry_time(entry);
    if (type.size() != 1 || symbol.empty() || !ts) continue;
    if (is_bar_entry(type[0])) {
      bars.add(symbol, *ts, type[0], entry_value(entry, type[0]), out);
    } else if (type[0] == '2') {
      live::FeedUpdate trade;
      trade.kind = live::FeedUpdate::Kind::Trade;
      trade.symbol = symbol;
      trade.ts = *ts;
      trade.price = parse_fix_number(field_or_empty(entry, FIX::FIELD::MDEntryPx));
      trade.size = parse_fix_number(field_or_empty(entry, FIX::FIELD::MDEntrySize));
      out.push_back(std::move(trade));
    }
  }
  bars.drop_incomplete(out);
  return out;
}

std::vector<live::FeedUpdate> updates_from_snapshot(const FIX::Message& message) {
  std::vector<live::FeedUpdate> out;
  BarAssembly bars;
  const std::string symbol = field_or_empty(message, FIX::FIELD::Symbol);
  FIX44::MarketDataSnapshotFullRefresh::NoMDEntries entry;
  const int n = message.groupCount(FIX::FIELD::NoMDEntries);
  for (int i = 1; i <= n; ++i) {
    message.getGroup(i, entry);
    const std::string type = field_or_empty(entry, FIX::FIELD::MDEntryType);
    const auto ts = entry_time(entry);
    if (type.size() == 1 && is_bar_entry(type[0]) && ts && !symbol.empty())
      bars.add(symbol, *ts, type[0], entry_value(entry, type[0]), out);
  }
  bars.drop_incomplete(out);
  return out;
}

}  // namespace qtrader::fix
