// The envelope's made fields: occurred_at and event_id.
#include <catch2/catch.hpp>

#include <string>

#include "store/contract_events.hpp"

using qtrader::contracts::event_uuid;
using qtrader::contracts::iso_utc;

TEST_CASE("occurred_at is ISO 8601 UTC with nanoseconds only when there are some", "[contracts]") {
  CHECK(iso_utc(0) == "1970-01-01T00:00:00Z");
  CHECK(iso_utc(1) == "1970-01-01T00:00:00.000000001Z");
  CHECK(iso_utc(-1) == "1969-12-31T23:59:59.999999999Z");
  CHECK(iso_utc(1189468800LL * 1000000000LL) == "2007-09-11T00:00:00Z");
  CHECK(iso_utc(1189468800LL * 1000000000LL + 34200LL * 1000000000LL + 500000000LL) ==
        "2007-09-11T09:30:00.500000000Z");
}

TEST_CASE("event ids are version 8 UUIDs fixed by the run key and the seq", "[contracts]") {
  const std::string a = event_uuid("0123456789abcdef0123456789abcdef", 1);
  CHECK(a == event_uuid("0123456789abcdef0123456789abcdef", 1));
  CHECK(a != event_uuid("0123456789abcdef0123456789abcdef", 2));
  CHECK(a != event_uuid("0123456789abcdef0123456789abcdeF", 1));
  REQUIRE(a.size() == 36);
  CHECK(a[8] == '-');
  CHECK(a[13] == '-');
  CHECK(a[14] == '8');  // version 8: custom, a hash (RFC 9562)
  CHECK(std::string("89ab").find(a[19]) != std::string::npos);  // the RFC's variant
  CHECK(a == "dddeb0f1-9cba-8347-ae7d-3404e7998dc8");
}
