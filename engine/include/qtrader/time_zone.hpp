// An IANA time zone (Howard Hinnant's date-tz over the system tz database):
// how a source's naive timestamps are read, and which local day an instant
// falls on at an exchange. Every instant inside the engine stays UTC
// nanoseconds; a TimeZone only converts at the edges.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "qtrader/types.hpp"

namespace date {
class time_zone;
}

namespace qtrader {

// The one wording for a zone name the tz database lacks, wherever it is met.
std::string unknown_time_zone(std::string_view name);

class TimeZone {
 public:
  TimeZone() = default;  // UTC
  static TimeZone utc() { return {}; }
  // The zone called `name` ("America/New_York", "UTC", "Etc/GMT+5", ...);
  // nullopt when the tz database has no such zone.
  static std::optional<TimeZone> find(std::string_view name);

  const std::string& name() const noexcept { return name_; }
  bool is_utc() const noexcept { return zone_ == nullptr; }

  // A local wall-clock time (nanoseconds since the local 1970-01-01 00:00) as a
  // UTC instant. An ambiguous time (the repeated hour when clocks go back) is
  // the earlier instant; a time that does not exist (the skipped hour when
  // clocks go forward) is the instant of the transition.
  Timestamp to_utc(Timestamp local) const;
  // The local wall-clock time of a UTC instant.
  Timestamp to_local(Timestamp utc) const { return utc + offset(utc); }
  // Local minus UTC at `utc`, in nanoseconds (-5 h for New York in winter).
  std::int64_t offset(Timestamp utc) const;
  // The local calendar day of `utc`, as days since 1970-01-01 (floored).
  std::int64_t local_day(Timestamp utc) const;
  // The UTC instant at which local day `day` (days since 1970-01-01) starts.
  Timestamp day_start(std::int64_t day) const { return to_utc(day * kNanosPerDay); }

 private:
  std::int64_t offset_slow(Timestamp utc) const;

  const date::time_zone* zone_ = nullptr;  // nullptr: UTC, no lookups
  std::string name_ = "UTC";
  // The offset period last looked up, [begin_, end_) in UTC: bars arrive in
  // time order, so nearly every lookup is a hit. Not shared between threads:
  // each run owns its TimeZone values.
  mutable Timestamp begin_ = 1, end_ = 0;
  mutable std::int64_t offset_ = 0;
};

}  // namespace qtrader
