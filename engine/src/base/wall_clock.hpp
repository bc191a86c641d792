// The wall clock as people read it in records of when something ran (the
// runs table's wall_start, serve's started_at): ISO 8601 to the second.
#pragma once

#include <string>

namespace qtrader {

enum class WallClockZone { Local, Utc };

// Now as "YYYY-MM-DDTHH:MM:SS", with a trailing "Z" in UTC.
std::string wall_clock_iso(WallClockZone zone);

}  // namespace qtrader
