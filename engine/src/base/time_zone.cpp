#include "qtrader/time_zone.hpp"

#include <chrono>
#include <limits>
#include <stdexcept>

#include <date/tz.h>

namespace qtrader {

namespace {

using Nanos = std::chrono::nanoseconds;
constexpr Timestamp kMin = std::numeric_limits<Timestamp>::min();
constexpr Timestamp kMax = std::numeric_limits<Timestamp>::max();

// sys_info bounds reach far beyond what int64 nanoseconds can hold.
Timestamp clamp_to_nanos(date::sys_seconds s) {
  const auto secs = s.time_since_epoch().count();
  constexpr auto kLimit = kMax / kNanosPerSecond;
  if (secs >= kLimit) return kMax;
  if (secs <= -kLimit) return kMin;
  return static_cast<Timestamp>(secs) * kNanosPerSecond;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

std::string unknown_time_zone(std::string_view name) {
  return "unknown time zone '" + std::string(name) +
         "' (an IANA name from the tz database, e.g. America/New_York, Europe/London, UTC)";
}

std::optional<TimeZone> TimeZone::find(std::string_view name) {
  if (name == "UTC" || name == "Etc/UTC" || name == "Z") {
    TimeZone tz;
    tz.name_ = std::string(name);
    return tz;
  }
  // An empty name, or one the database lacks: locate_zone throws.
  if (name.empty()) return std::nullopt;
  try {
    TimeZone tz;
    tz.zone_ = date::locate_zone(name);
    tz.name_ = std::string(name);
    return tz;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::int64_t TimeZone::offset(Timestamp utc) const {
  if (zone_ == nullptr) return 0;
  if (utc >= begin_ && utc < end_) return offset_;
  return offset_slow(utc);
}

std::int64_t TimeZone::offset_slow(Timestamp utc) const {
  const date::sys_time<Nanos> t{Nanos{utc}};
  const date::sys_info info = zone_->get_info(t);
  begin_ = clamp_to_nanos(info.begin);
  end_ = clamp_to_nanos(info.end);
  offset_ = static_cast<std::int64_t>(info.offset.count()) * kNanosPerSecond;
  return offset_;
}

Timestamp TimeZone::to_utc(Timestamp local) const {
  if (zone_ == nullptr) return local;
  // Offsets change by less than a day, so a guess that lands a day or more
  // inside the cached period is the only answer; near a transition ask date-tz.
  const Timestamp guess = local - offset_;
  if (begin_ < end_ && guess - kNanosPerDay >= begin_ && guess + kNanosPerDay < end_)
    return guess;
  const date::local_time<Nanos> t{Nanos{local}};
  const auto utc = zone_->to_sys(t, date::choose::earliest).time_since_epoch().count();
  offset(utc);  // cache the period for the next call
  return static_cast<Timestamp>(utc);
}

std::int64_t TimeZone::local_day(Timestamp utc) const {
  return floor_div(utc + offset(utc), kNanosPerDay);
}

}  // namespace qtrader
