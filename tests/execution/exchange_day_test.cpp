// DAY orders end with the exchange's session, not the UTC day: each symbol
// has its source's ExchangeClock (time zone, optional calendar).
#include "exec_harness.hpp"

#include "qtrader/exchange_clock.hpp"
#include "qtrader/time.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

const TimeZone& new_york() {
  static const TimeZone tz = *TimeZone::find("America/New_York");
  return tz;
}

// A New York wall-clock time as a UTC instant.
Timestamp ny(const std::string& local) { return new_york().to_utc(*parse_timestamp(local)); }

Bar minute(Timestamp ts, double low) { return Bar{ts, 0, 10, 11, low, 10, 1e6, kNaN}; }

std::vector<ExchangeClock> clocks(bool with_calendar) {
  std::shared_ptr<const ExchangeCalendar> cal;
  if (with_calendar)
    cal = std::make_shared<const ExchangeCalendar>(
        ExchangeCalendar::load_builtin("XNYS", QTRADER_SOURCE_DIR "/data"));
  return {ExchangeClock(new_york(), cal)};
}

OrderArgs day_limit() { return {.type = OrderType::Limit, .limit = 9, .tif = TimeInForce::Day}; }

}  // namespace

TEST_CASE("a DAY order placed at 15:59 New York ends with that session, not at UTC midnight",
          "[execution][tif][exchange]") {
  // Winter: 15:59 EST is 20:59 UTC; the next bar, 09:30 EST the next day, is
  // on the next UTC day too, which under UTC days was the order's first
  // (and so its own) day.
  Harness h(100000.0, Harness::zero_commission(), {}, 1, nullptr, clocks(false));
  const OrderId id = h.submit_at(ny("2024-01-02 15:59:00"), day_limit());
  h.publish(minute(ny("2024-01-03 09:30:00"), 8.0));  // would fill at 9
  CHECK(h.fills.empty());
  REQUIRE(h.last_update(id));
  CHECK(h.last_update(id)->status == OrderStatus::Expired);
  CHECK(h.last_update(id)->reason == "DAY order: session ended");
  CHECK(format_timestamp(h.last_update(id)->ts) == "2024-01-03 14:30:00");
}

TEST_CASE("with the XNYS calendar a DAY order expires at the session's close, before post-market bars",
          "[execution][tif][exchange]") {
  // Summer: 16:00 EDT is 20:00 UTC, four hours before UTC midnight.
  Harness h(100000.0, Harness::zero_commission(), {}, 1, nullptr, clocks(true));
  const OrderId id = h.submit_at(ny("2024-07-01 15:59:00"), day_limit());
  h.publish(minute(ny("2024-07-01 16:00:00"), 8.0));  // post-market: the session is over
  CHECK(h.fills.empty());
  REQUIRE(h.last_update(id));
  CHECK(h.last_update(id)->status == OrderStatus::Expired);
  CHECK(format_timestamp(h.last_update(id)->ts) == "2024-07-01 20:00:00");

  // The early close of July 3rd: 13:00 EDT.
  const OrderId early = h.submit_at(ny("2024-07-03 12:58:00"), day_limit());
  h.publish(minute(ny("2024-07-03 12:59:00"), 9.5));
  CHECK(h.exec.find(early));
  h.publish(minute(ny("2024-07-03 13:00:00"), 8.0));
  CHECK(h.fills.empty());
  CHECK(h.last_update(early)->status == OrderStatus::Expired);
}

TEST_CASE("a DAY order placed before the open or after the close works the next session",
          "[execution][tif][exchange]") {
  Harness h(100000.0, Harness::zero_commission(), {}, 1, nullptr, clocks(true));
  const OrderId pre = h.submit_at(ny("2024-07-01 08:00:00"), day_limit());
  h.publish(minute(ny("2024-07-01 08:01:00"), 9.5));
  h.publish(minute(ny("2024-07-01 09:30:00"), 8.5));
  REQUIRE(h.fills.size() == 1);
  CHECK(h.last_update(pre)->status == OrderStatus::Filled);
  // Placed at 17:00 on the eve of Independence Day's early close (13:00): the
  // next session is July 5th (July 4th is a holiday).
  const OrderId after = h.submit_at(ny("2024-07-03 17:00:00"), day_limit());
  h.publish(minute(ny("2024-07-05 09:30:00"), 9.5));
  CHECK(h.exec.find(after));
  h.publish(minute(ny("2024-07-05 15:59:00"), 8.0));
  CHECK(h.fills.size() == 2);
}

TEST_CASE("DAY on New York daily bars (local midnight): one session, then expired",
          "[execution][tif][exchange]") {
  for (const bool calendar : {false, true}) {
    Harness h(100000.0, Harness::zero_commission(), {}, 1, nullptr, clocks(calendar));
    const OrderId id = h.submit_at(ny("2024-01-02 00:00:00"), day_limit());
    h.publish(minute(ny("2024-01-03 00:00:00"), 9.5));
    CHECK_FALSE(h.exec.find(id));
    CHECK(h.last_update(id)->status == OrderStatus::Expired);
    CHECK(h.last_update(id)->ts == ny("2024-01-03 00:00:00"));
    h.publish(minute(ny("2024-01-04 00:00:00"), 8.0));
    CHECK(h.fills.empty());
  }
}
