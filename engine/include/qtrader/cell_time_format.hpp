// How a data source's date and time cells are read (docs/data.md "Reading
// files"): ISO 8601 by default, a strftime-style pattern, or epoch numbers.
// A cell is either a wall-clock time (read in the source's time zone by the
// caller) or an exact instant ('Z', an offset, an epoch number): the parser
// only says which, so one TimeZone decides every naive time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader {

// One cell, read.
struct CellTime {
  // exact: UTC nanoseconds since the epoch. Otherwise the wall-clock time as
  // nanoseconds since the local 1970-01-01 00:00 (a time-of-day cell: since
  // local midnight).
  Timestamp value = 0;
  bool exact = false;
};

class CellTimeFormat {
 public:
  enum class Kind : std::uint8_t { IsoDateTime, IsoTime, Pattern, EpochS, EpochMs, EpochUs, EpochNs };

  // ISO 8601 dates with an optional time: YYYY-MM-DD[(T| )HH:MM[:SS[.f…]][Z|±HH[:MM]]].
  CellTimeFormat() = default;

  // A `date_format` ("" = ISO 8601; epoch_s | epoch_ms | epoch_us | epoch_ns;
  // else a pattern) or, with `time_of_day`, a `time_format` ("" = ISO
  // HH:MM[:SS[.f…]][Z|±HH[:MM]]; a pattern of time directives only).
  // Pattern directives: %Y %y %m %d %b %H %I %M %S %f %p %z %F %T %%; any other
  // character must appear as written. nullopt, with `error` saying why, for an
  // unknown directive or a pattern that cannot name a day (or a time).
  static std::optional<CellTimeFormat> compile(std::string_view text, bool time_of_day,
                                                std::string& error);

  Kind kind() const noexcept { return kind_; }
  bool is_epoch() const noexcept { return kind_ >= Kind::EpochS; }
  // What the error for a cell that does not match says was expected.
  const std::string& describe() const noexcept { return describe_; }

  // The whole cell must match; false otherwise (also for impossible dates
  // such as 1995-02-30, and outside 1678..2261, the range of int64 nanoseconds).
  bool parse(std::string_view cell, CellTime& out) const noexcept;

 private:
  enum class Op : std::uint8_t {
    Literal, Year4, Year2, Month, MonthName, Day, Hour24, Hour12, Minute, Second, Fraction,
    AmPm, Offset
  };
  struct Step {
    Op op;
    char literal;
  };
  bool parse_pattern(std::string_view cell, CellTime& out) const noexcept;

  Kind kind_ = Kind::IsoDateTime;
  std::vector<Step> steps_;  // Kind::Pattern
  std::string describe_ = "YYYY-MM-DD [HH:MM:SS]";
};

namespace timestamp_detail {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil); nullopt for an impossible date or a year outside 1678..2261.
std::optional<std::int64_t> days_from_civil(int y, int m, int d) noexcept;

}  // namespace timestamp_detail

}  // namespace qtrader
