#include "data/tick_bar_stream.hpp"

#include <algorithm>
#include <limits>
#include <optional>

#include "data/tick_reader.hpp"
#include "qtrader/bar_consolidator.hpp"
#include "qtrader/errors.hpp"

namespace qtrader {

namespace {

class TickBarStream final : public BarStream {
 public:
  TickBarStream(const std::string& file, TimeZone zone, Timeframe tf, std::optional<ActivityBars> activity,
                SymbolId symbol, Timestamp start, Timestamp end)
      : reader_(file, zone), zone_(std::move(zone)), tf_(tf), activity_(activity), start_(start), last_(end) {
    // Backtest end dates are whole days: a bar of that day is still in range.
    if (end % kNanosPerDay == 0 && end <= std::numeric_limits<Timestamp>::max() - kNanosPerDay)
      last_ = end + kNanosPerDay - 1;
    cur_.symbol = symbol;
  }

  bool next(Bar& out) override {
    if (activity_) {
      // Trade-count and volume bars: a bar takes trades until it holds `count`
      // trades (or that much volume), and then every further trade of the same
      // instant, so that no two bars start at one timestamp. Its ts is its
      // first trade's.
      return next_bar(
          out,
          [this](const Tick& t) {
            if (!(filled_ < limit_ || t.ts == last_tick_)) return false;
            fold(t);
            filled_ += by_volume_ ? t.size : 1.0;
            last_tick_ = t.ts;
            return true;
          },
          [this](const Tick& t) { begin_activity(t); });
    }
    return next_bar(
        out,
        [this](const Tick& t) {
          if (t.ts >= end_) return false;
          fold(t);
          return true;
        },
        [this](const Tick& t) { begin(t); });
  }

 private:
  // A trade into the bar being built (the hot path: one per tick).
  void fold(const Tick& t) {
    cur_.high = std::max(cur_.high, t.price);
    cur_.low = std::min(cur_.low, t.price);
    cur_.close = t.price;
    cur_.volume += t.size;
  }

  // The next completed bar: each trade either joins the open bar (`joins`
  // folds it in and says so; the hot path, inlined) or completes it and
  // `begin`s the next. The last bar completes at the end of the file.
  template <class Joins, class Begin>
  bool next_bar(Bar& out, Joins joins, Begin begin) {
    Tick t;
    while (reader_.next(t)) {
      if (open_ && joins(t)) continue;
      const bool had = open_;
      const Bar done = cur_;
      begin(t);
      if (had && in_range(done)) {
        out = done;
        return true;
      }
      if (cur_.ts > last_) return false;  // past the backtest's dates
    }
    if (!open_) return false;
    open_ = false;
    if (!in_range(cur_)) return false;
    out = cur_;
    return true;
  }

  void begin_activity(const Tick& t) {
    by_volume_ = activity_->unit == ActivityBars::Unit::Volume;
    limit_ = static_cast<double>(activity_->count);
    cur_.ts = last_tick_ = t.ts;
    cur_.open = cur_.high = cur_.low = cur_.close = t.price;
    cur_.volume = t.size;
    cur_.adj_close = kNaN;
    filled_ = by_volume_ ? t.size : 1.0;
    open_ = true;
  }

  void begin(const Tick& t) {
    const Window w = window_of(tf_, zone_, t.ts);
    end_ = w.end;
    cur_.ts = w.start;
    cur_.open = cur_.high = cur_.low = cur_.close = t.price;
    cur_.volume = t.size;
    cur_.adj_close = kNaN;
    open_ = true;
  }
  bool in_range(const Bar& b) const { return b.ts >= start_ && b.ts <= last_; }

  TickReader reader_;
  TimeZone zone_;
  Timeframe tf_;
  std::optional<ActivityBars> activity_;  // set: trade-count or volume bars
  bool by_volume_ = false;
  double limit_ = 0.0, filled_ = 0.0;     // activity bars: the bar's target and what it holds
  Timestamp last_tick_ = 0;
  Timestamp start_, last_;
  bool open_ = false;
  Timestamp end_ = 0;
  Bar cur_;
};

}  // namespace

std::unique_ptr<BarStream> open_tick_bar_stream(const DataSourceConfig& source,
                                                const std::string& file, SymbolId symbol,
                                                Timestamp start, Timestamp end) {
  const auto tf = parse_timeframe(source.bar_size);
  const auto activity = parse_activity_bars(source.bar_size);
  if (!tf && !activity)
    throw DataError(source.where.file.empty() ? file : source.where.file, source.where.line,
                    "a tick source needs bar_size (e.g. \"1m\"): the bars it is consolidated into");
  const auto zone = TimeZone::find(source.timezone);
  if (!zone)
    throw DataError(source.where.file.empty() ? file : source.where.file, source.where.line,
                    unknown_time_zone(source.timezone));
  return std::make_unique<TickBarStream>(file, *zone, tf.value_or(Timeframe{}), activity, symbol, start, end);
}

}  // namespace qtrader
