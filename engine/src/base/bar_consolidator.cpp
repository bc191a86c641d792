#include "qtrader/bar_consolidator.hpp"

#include <algorithm>
#include <charconv>

namespace qtrader {

namespace {

constexpr Timestamp kMinute = 60 * kNanosPerSecond;
constexpr Timestamp kHour = 60 * kMinute;

// Floor division: instants before 1970 still fall in the right window.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

}  // namespace

std::string Timeframe::name() const {
  switch (unit) {
    case Unit::Source: return "";
    case Unit::Second: return std::to_string(count) + "s";
    case Unit::Minute: return std::to_string(count) + "m";
    case Unit::Hour: return std::to_string(count) + "h";
    case Unit::Day: return std::to_string(count) + "d";
    case Unit::Week: return std::to_string(count) + "w";
  }
  return "";
}

Timestamp Timeframe::clock_length() const noexcept {
  switch (unit) {
    case Unit::Second: return count * kNanosPerSecond;
    case Unit::Minute: return count * kMinute;
    case Unit::Hour: return count * kHour;
    default: return 0;
  }
}

Timestamp Timeframe::nominal_length() const noexcept {
  if (const Timestamp len = clock_length(); len > 0) return len;
  if (unit == Unit::Day) return count * kNanosPerDay;
  if (unit == Unit::Week) return count * (7 * kNanosPerDay);
  return 0;
}

std::optional<ActivityBars> parse_activity_bars(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  std::int64_t n = 0;
  const char* last = text.data() + text.size() - 1;
  auto [p, ec] = std::from_chars(text.data(), last, n);
  if (ec != std::errc() || p != last || n < 1) return std::nullopt;
  if (*last == 't') return ActivityBars{ActivityBars::Unit::Ticks, n};
  if (*last == 'v') return ActivityBars{ActivityBars::Unit::Volume, n};
  return std::nullopt;
}

std::optional<Timeframe> parse_timeframe(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  int n = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size() - 1;
  auto [p, ec] = std::from_chars(first, last, n);
  if (ec != std::errc() || p != last || n < 1) return std::nullopt;
  Timeframe tf;
  tf.count = n;
  switch (*last) {
    case 's': tf.unit = Timeframe::Unit::Second; break;
    case 'm': tf.unit = Timeframe::Unit::Minute; break;
    case 'h': tf.unit = Timeframe::Unit::Hour; break;
    case 'd': tf.unit = Timeframe::Unit::Day; break;
    case 'w': tf.unit = Timeframe::Unit::Week; break;
    default: return std::nullopt;
  }
  // Windows must tile the day so that every day's windows start at 00:00;
  // days and weeks come one at a time.
  if (tf.unit == Timeframe::Unit::Day || tf.unit == Timeframe::Unit::Week) {
    if (n != 1) return std::nullopt;
  } else if (kNanosPerDay % tf.clock_length() != 0) {
    return std::nullopt;
  }
  return tf;
}

Window window_of(const Timeframe& tf, const TimeZone& zone, Timestamp ts) {
  if (const Timestamp len = tf.clock_length(); len > 0) {
    // Aligned on the local clock, within the offset period of `ts`.
    const std::int64_t off = zone.offset(ts);
    const Timestamp start = floor_div(ts + off, len) * len - off;
    return {start, start + len};
  }
  const std::int64_t day = zone.local_day(ts);
  if (tf.unit == Timeframe::Unit::Day) return {zone.day_start(day), zone.day_start(day + 1)};
  // 1970-01-01 was a Thursday: day + 3 counts from the Monday before it.
  const std::int64_t monday = floor_div(day + 3, 7) * 7 - 3;
  return {zone.day_start(monday), zone.day_start(monday + 7)};
}

BarConsolidator::BarConsolidator(Timeframe tf, TimeZone zone, Timestamp source_step, bool drop_first)
    : tf_(tf), zone_(std::move(zone)), step_(source_step), drop_next_(drop_first) {}

int BarConsolidator::add(const Bar& bar, std::array<Bar, 2>& out) {
  int n = 0;
  auto finish = [&] {
    open_ = false;
    if (drop_next_) {
      drop_next_ = false;
      return;
    }
    out[n++] = cur_;
  };
  // The next window's first bar: the window being built is complete.
  if (open_ && bar.ts >= end_) finish();
  if (!open_) {
    const Window w = window_of(tf_, zone_, bar.ts);
    end_ = w.end;
    cur_ = bar;
    cur_.ts = w.start;
    open_ = true;
  } else {
    cur_.high = std::max(cur_.high, bar.high);
    cur_.low = std::min(cur_.low, bar.low);
    cur_.close = bar.close;
    cur_.adj_close = bar.adj_close;
    cur_.volume += bar.volume;
  }
  // The window's last bar (its end reaches the window's end).
  if (step_ > 0 && bar.ts + step_ >= end_) finish();
  return n;
}

}  // namespace qtrader
