// Calendar conversions for Timestamp (UTC, proleptic Gregorian).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "qtrader/types.hpp"

namespace qtrader {

// "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" / "YYYY-MM-DDTHH:MM:SS"; nullopt when malformed
// or not a real calendar date.
std::optional<Timestamp> parse_timestamp(std::string_view text) noexcept;
// Date part only; nullopt unless exactly "YYYY-MM-DD".
std::optional<Timestamp> parse_date(std::string_view text) noexcept;

// "YYYY-MM-DD" when the time of day is 00:00:00, else "YYYY-MM-DD HH:MM:SS".
std::string format_timestamp(Timestamp ts);
std::string format_date(Timestamp ts);  // "YYYY-MM-DD"

}  // namespace qtrader
