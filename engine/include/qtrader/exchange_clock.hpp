// The trading day of one exchange: its time zone and, when a calendar is set,
// its sessions. Execution keeps one per symbol (from its source), the
// portfolio and the metrics one per run. Values, not globals: a run owns its
// clocks (TimeZone caches its last offset period and is not shared between
// threads).
#pragma once

#include <cstdint>
#include <memory>

#include "qtrader/exchange_calendar.hpp"
#include "qtrader/time_zone.hpp"

namespace qtrader {

class ExchangeClock {
 public:
  ExchangeClock() = default;  // UTC days, no calendar
  explicit ExchangeClock(TimeZone zone, std::shared_ptr<const ExchangeCalendar> calendar = nullptr)
      : zone_(std::move(zone)), calendar_(std::move(calendar)) {}

  const TimeZone& zone() const noexcept { return zone_; }
  const ExchangeCalendar* calendar() const noexcept { return calendar_.get(); }

  // The exchange's local day of `utc` (days since 1970-01-01).
  std::int64_t day_of(Timestamp utc) const { return zone_.local_day(utc); }
  // A daily bar's stamp: local midnight. A daily bar stands for its whole
  // session, so what happens on it happens after that session's close.
  bool at_local_midnight(Timestamp utc) const;

  // When a DAY order placed at `placed` stops working; `first_bar` is the
  // first bar it may fill on. Placed on a daily bar: the session of that
  // first bar. Placed intraday: the session in progress, or the next one when
  // none is (after the close, on a holiday). With a calendar the order ends
  // at that session's close (early closes included); without one at the end
  // of its local day.
  Timestamp day_order_end(Timestamp placed, Timestamp first_bar) const;

 private:
  TimeZone zone_;
  std::shared_ptr<const ExchangeCalendar> calendar_;
};

}  // namespace qtrader
