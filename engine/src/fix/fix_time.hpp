// FIX's UTC time formats <-> qtrader's Timestamp (ns since the epoch, UTC).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "qtrader/types.hpp"

namespace qtrader::fix {

std::string fix_timestamp(Timestamp ts);  // UTCTimestamp: YYYYMMDD-HH:MM:SS.sss
std::string fix_date(Timestamp ts);       // UTCDateOnly: YYYYMMDD
std::string fix_time_of_day(Timestamp ts);  // UTCTimeOnly: HH:MM:SS.sss

// YYYYMMDD-HH:MM:SS with an optional fraction of 1-9 digits.
std::optional<Timestamp> parse_fix_timestamp(std::string_view text) noexcept;
// A UTCDateOnly and a UTCTimeOnly (HH:MM:SS[.fraction]), as MDEntryDate/MDEntryTime.
std::optional<Timestamp> parse_fix_date_time(std::string_view date, std::string_view time) noexcept;

}  // namespace qtrader::fix
