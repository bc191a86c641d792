#include "data/bar_ticks.hpp"

#include "qtrader/errors.hpp"

namespace qtrader {

namespace {

TimeZone zone_of(const DataSourceConfig& source, const std::string& file) {
  const auto zone = TimeZone::find(source.timezone);
  if (!zone)
    throw DataError(source.where.file.empty() ? file : source.where.file, source.where.line,
                    unknown_time_zone(source.timezone));
  return *zone;
}

}  // namespace

BarTicks::BarTicks(const DataSourceConfig& source, const std::string& file, SymbolId symbol)
    : reader_(file, zone_of(source, file)), zone_(zone_of(source, file)),
      activity_(parse_activity_bars(source.bar_size)) {
  const auto tf = parse_timeframe(source.bar_size);
  if (!tf && !activity_)
    throw DataError(source.where.file.empty() ? file : source.where.file, source.where.line,
                    "a tick source needs bar_size (e.g. \"1m\"): the bars it is consolidated into");
  timeframe_ = tf.value_or(Timeframe{});
  if (activity_) {
    by_volume_ = activity_->unit == ActivityBars::Unit::Volume;
    limit_ = static_cast<double>(activity_->count);
  }
  tick_.symbol = symbol;
}

bool BarTicks::start(const Bar& bar) {
  if (!have_) have_ = reader_.next(tick_);
  while (have_ && tick_.ts < bar.ts) have_ = reader_.next(tick_);
  if (!have_) return false;
  if (activity_) {
    filled_ = 0.0;
    last_tick_ = bar.ts;
  } else {
    end_ = window_of(timeframe_, zone_, bar.ts).end;
  }
  return joins();
}

bool BarTicks::next() {
  have_ = reader_.next(tick_);
  return have_ && joins();
}

// The rule of tick_bar_stream.cpp: a time bar takes the ticks of its window;
// an activity bar takes ticks until full, then every further tick of the
// instant that filled it.
bool BarTicks::joins() {
  if (!activity_) {
    if (tick_.ts >= end_) return false;
  } else {
    if (!(filled_ < limit_ || tick_.ts == last_tick_)) return false;
    filled_ += by_volume_ ? tick_.size : 1.0;
    last_tick_ = tick_.ts;
  }
  have_ = false;  // handed out
  return true;
}

}  // namespace qtrader
