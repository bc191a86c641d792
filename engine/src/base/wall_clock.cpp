#include "base/wall_clock.hpp"

#include <ctime>

namespace qtrader {

std::string wall_clock_iso(WallClockZone zone) {
  const std::time_t now = std::time(nullptr);
  std::tm t{};
  if (zone == WallClockZone::Utc)
    gmtime_r(&now, &t);
  else
    localtime_r(&now, &t);
  char buf[32];
  std::strftime(buf, sizeof buf, zone == WallClockZone::Utc ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S", &t);
  return buf;
}

}  // namespace qtrader
