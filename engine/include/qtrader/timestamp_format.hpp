// How a run writes its timestamps: one form per run, chosen before its first
// row (docs/data.md "Time zones and trading days"), so a column never mixes
// two forms.
//   dates     "2024-01-02": the exchange's local date. Daily runs (every bar
//             at its exchange's local midnight); a UTC daily run writes what
//             it always wrote.
//   instants  "2024-01-02T14:30:00Z": ISO 8601, UTC, with Z (a fraction of a
//             second when the instant has one). Intraday runs.
// The default is the legacy form of format_timestamp, for code that has no run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "qtrader/time_zone.hpp"

namespace qtrader {

class TimestampFormat {
 public:
  enum class Form : std::uint8_t { Legacy, Dates, Instants };
  TimestampFormat() = default;
  static TimestampFormat dates(TimeZone zone) { return TimestampFormat(Form::Dates, std::move(zone)); }
  static TimestampFormat instants() { return TimestampFormat(Form::Instants, TimeZone::utc()); }

  Form form() const noexcept { return form_; }
  const TimeZone& zone() const noexcept { return zone_; }
  // "dates" | "instants" | "legacy", as summary.json names it.
  const char* name() const noexcept;
  std::string operator()(Timestamp ts) const;

 private:
  TimestampFormat(Form form, TimeZone zone) : form_(form), zone_(std::move(zone)) {}
  Form form_ = Form::Legacy;
  TimeZone zone_;
};

// "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z" (fraction without trailing zeros).
std::string format_utc_instant(Timestamp ts);
// Reads what a run wrote: "YYYY-MM-DDTHH:MM:SS[.f…]Z" as the instant;
// "YYYY-MM-DD[ HH:MM:SS]" as a UTC wall time (a date of the dates form is the
// exchange's local date at 00:00). nullopt when malformed.
std::optional<Timestamp> parse_run_timestamp(std::string_view text) noexcept;

}  // namespace qtrader
