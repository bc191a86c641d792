#include "data/continuous_contract.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

std::size_t bar_at(const std::vector<Bar>& bars, Timestamp ts) {
  const auto it = std::lower_bound(bars.begin(), bars.end(), ts,
                                   [](const Bar& b, Timestamp t) { return b.ts < t; });
  return it != bars.end() && it->ts == ts ? static_cast<std::size_t>(it - bars.begin()) : kNone;
}

// The index in `cur`'s bars of the first bar of the next segment (the roll
// bar, whose open the roll trades at), searching from `from`; kNone when
// `cur`'s data ends first.
std::size_t roll_bar(const FuturesRootSpec& root, std::size_t cur, std::span<const ContractBars> contracts,
                     const TimeZone& zone, std::size_t from) {
  const std::vector<Bar>& bars = contracts[cur].bars;
  const std::int64_t last_day = TimeZone::utc().local_day(root.contracts[cur].last_day());
  if (root.roll == RollRule::Calendar) {
    const std::int64_t roll_day = last_day - root.roll_days;
    for (std::size_t k = from; k < bars.size(); ++k)
      if (zone.local_day(bars[k].ts) >= roll_day) return k;
    return kNone;
  }
  // Volume / open interest: decided at the first close (from the series'
  // second bar of this contract on) at which the next contract had more;
  // at the latest on the contract's last day.
  const ContractBars& next = contracts[cur + 1];
  std::size_t latest = kNone;
  for (std::size_t k = from; k + 1 < bars.size(); ++k) {
    if (zone.local_day(bars[k + 1].ts) > last_day) break;
    latest = k + 1;
    const std::size_t n = bar_at(next.bars, bars[k].ts);
    if (n != kNone && next.activity[n] > contracts[cur].activity[k]) return k + 1;
  }
  return latest;
}

}  // namespace

ContinuousSeries build_continuous(const FuturesRootSpec& root, std::span<const ContractBars> contracts,
                                  const TimeZone& zone) {
  const auto& specs = root.contracts;
  for (std::size_t i = 0; i < contracts.size(); ++i)
    if (contracts[i].bars.empty())
      throw DataError(contracts[i].file, 0,
                      fmt::format("contract {} of root {} has no bars", specs[i].symbol, root.root));
  ContinuousSeries out;
  std::vector<std::size_t> segment_start{0};
  std::size_t cur = 0, j = 0;
  for (;;) {
    const std::vector<Bar>& bars = contracts[cur].bars;
    const std::size_t r = cur + 1 < specs.size() ? roll_bar(root, cur, contracts, zone, j) : kNone;
    if (r == kNone) {
      // The last contract, or one whose data ends before its roll: the
      // series ends with it, unless a later contract goes on.
      if (cur + 1 < specs.size() && contracts[cur + 1].bars.back().ts > bars.back().ts)
        throw DataError(contracts[cur].file, 0,
                        fmt::format("{}'s data ends on {}, before its roll to {} ({} rule{})", specs[cur].symbol,
                                    format_date(bars.back().ts), specs[cur + 1].symbol, to_string(root.roll),
                                    root.roll == RollRule::Calendar
                                        ? fmt::format(": roll day {} days before {}", root.roll_days,
                                                      format_date(specs[cur].last_day()))
                                        : ""));
      out.bars.insert(out.bars.end(), bars.begin() + static_cast<std::ptrdiff_t>(j), bars.end());
      break;
    }
    if (r <= j) {
      if (cur == out.first_contract && out.bars.empty()) {
        // The first contract's roll day precedes its data: start with the next.
        out.first_contract = ++cur;
        j = 0;
        continue;
      }
      throw DataError(contracts[cur].file, 0,
                      fmt::format("{} would roll on {}, its first bar in the continuous series: its roll day "
                                  "comes before it is held",
                                  specs[cur].symbol, format_date(bars[r].ts)));
    }
    const Bar& decided = bars[r - 1];
    const ContractBars& next = contracts[cur + 1];
    const std::size_t at_decision = bar_at(next.bars, decided.ts);
    const std::size_t at_roll = bar_at(next.bars, bars[r].ts);
    if (at_decision == kNone || at_roll == kNone)
      throw DataError(next.file, 0,
                      fmt::format("{} has no bar on {}: the roll from {} is decided at {}'s close and traded "
                                  "at {}'s open, so both contracts need bars on both days",
                                  specs[cur + 1].symbol,
                                  format_date(at_decision == kNone ? decided.ts : bars[r].ts), specs[cur].symbol,
                                  format_date(decided.ts), format_date(bars[r].ts)));
    out.bars.insert(out.bars.end(), bars.begin() + static_cast<std::ptrdiff_t>(j),
                    bars.begin() + static_cast<std::ptrdiff_t>(r));
    out.rolls.push_back({cur, cur + 1, decided.ts, bars[r].ts, decided.close, next.bars[at_decision].close});
    segment_start.push_back(out.bars.size());
    ++cur;
    j = at_roll;
  }
  // Back-adjustment: each segment shifted by the gaps of every later roll,
  // so the last segment keeps its prices and no roll shows as a jump.
  if (root.adjust != BackAdjust::None) {
    double offset = 0.0, factor = 1.0;
    for (std::size_t m = out.rolls.size(); m-- > 0;) {
      const RollPoint& p = out.rolls[m];
      if (root.adjust == BackAdjust::Difference)
        offset += p.new_close - p.old_close;
      else
        factor *= p.new_close / p.old_close;
      for (std::size_t k = segment_start[m]; k < segment_start[m + 1]; ++k) {
        Bar& b = out.bars[k];
        for (double* v : {&b.open, &b.high, &b.low, &b.close})
          *v = root.adjust == BackAdjust::Difference ? *v + offset : *v * factor;
      }
    }
  }
  for (Bar& b : out.bars) b.adj_close = kNaN;
  return out;
}

namespace {

class SeriesStream final : public BarStream {
 public:
  SeriesStream(std::shared_ptr<const std::vector<Bar>> bars, SymbolId symbol, Timestamp start, Timestamp end)
      : bars_(std::move(bars)), symbol_(symbol), end_(end) {
    while (i_ < bars_->size() && (*bars_)[i_].ts < start) ++i_;
  }
  bool next(Bar& out) override {
    if (i_ >= bars_->size() || (*bars_)[i_].ts > end_) return false;
    out = (*bars_)[i_++];
    out.symbol = symbol_;
    return true;
  }

 private:
  std::shared_ptr<const std::vector<Bar>> bars_;
  SymbolId symbol_;
  Timestamp end_;
  std::size_t i_ = 0;
};

}  // namespace

std::unique_ptr<BarStream> series_stream(std::shared_ptr<const std::vector<Bar>> bars, SymbolId symbol,
                                         Timestamp start, Timestamp end) {
  return std::make_unique<SeriesStream>(std::move(bars), symbol, start, end);
}

}  // namespace qtrader
