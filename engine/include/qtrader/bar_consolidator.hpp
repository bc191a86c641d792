// Coarser bars built from a symbol's source bars (docs/data.md "Consolidated
// bars"): a Timeframe names the window ("5m", "1h", "1d", "1w"), a
// BarConsolidator folds source bars into windows and hands out each window
// only once it is complete. Allocation-free per bar.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "qtrader/time_zone.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

struct Timeframe {
  enum class Unit : std::uint8_t { Source, Second, Minute, Hour, Day, Week };
  Unit unit = Unit::Source;  // Source: the bars as the source gives them
  int count = 0;

  bool is_source() const noexcept { return unit == Unit::Source; }
  // "30s", "5m", "1h", "1d", "1w"; "" for the source's own bars.
  std::string name() const;
  // The window length in ns for clock units (s, m, h); 0 for days, weeks and source.
  Timestamp clock_length() const noexcept;
  // A rough length for ordering timeframes: clock_length, a day for 1d, a
  // week for 1w, 0 for the source's own bars.
  Timestamp nominal_length() const noexcept;
  friend bool operator==(const Timeframe&, const Timeframe&) = default;
};

// "<n>s", "<n>m", "<n>h" (n >= 1, the window dividing a day evenly: 1,2,3,4,
// 5,6,10,12,15,20,30 minutes; 1,2,3,4,6,8,12 hours), "1d", "1w". nullopt
// otherwise.
std::optional<Timeframe> parse_timeframe(std::string_view text);

// A tick source's bars by activity instead of time (docs/data.md "Ticks"):
// "<n>t", n trades a bar, or "<n>v", a bar per n of traded volume (n >= 1).
struct ActivityBars {
  enum class Unit : std::uint8_t { Ticks, Volume };
  Unit unit = Unit::Ticks;
  std::int64_t count = 0;
};
std::optional<ActivityBars> parse_activity_bars(std::string_view text);

// The window [start, end) of a timeframe that holds instant `ts`. Clock units
// align to the local wall clock of `zone` (so 1h windows start on the local
// hour even in a zone with a half-hour offset); "1d" is the local calendar
// day, "1w" the local week starting Monday 00:00.
struct Window {
  Timestamp start = 0, end = 0;
};
Window window_of(const Timeframe& tf, const TimeZone& zone, Timestamp ts);

class BarConsolidator {
 public:
  // `source_step`: the source's bar length in ns (its declared bar_size), 0
  // when unknown. A window is complete when a source bar starting at or after
  // its end arrives, or -- with a known step -- when a bar of the window ends
  // at or after the window's end (bar.ts + step >= end), so a minute bar
  // stamped 09:34 completes [09:30, 09:35) at once. `drop_first` discards
  // the first window (a consolidator created mid-window would hand out a
  // partial bar).
  BarConsolidator(Timeframe tf, TimeZone zone, Timestamp source_step, bool drop_first = false);

  // Folds `bar` in. Writes the windows it completes into `out`, oldest first,
  // and returns how many (0, 1 or 2: the window before `bar` closed by its
  // arrival, and `bar`'s own window when `bar` is its last bar). A completed
  // bar has open of the first source bar, max high, min low, close and
  // adj_close of the last, the sum of volumes, ts = window start.
  int add(const Bar& bar, std::array<Bar, 2>& out);

  const Timeframe& timeframe() const noexcept { return tf_; }

 private:
  Timeframe tf_;
  TimeZone zone_;
  Timestamp step_;
  bool drop_next_;
  bool open_ = false;  // a window is being built
  Timestamp end_ = 0;
  Bar cur_;
};

}  // namespace qtrader
