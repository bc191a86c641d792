// What the FIX tests share: the fixture's bars, a session config for the
// venue, and a broker's reports gathered until a condition holds.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "csv_table.hpp"
#include "fix/fix_broker.hpp"
#include "fix/fix_session_config.hpp"
#include "qtrader/time.hpp"
#include "venue_process.hpp"

namespace qtrader::test {

inline std::string fix_fixture(const std::string& name) {
  return std::string(QTRADER_FIXTURES_DIR) + "/fix/" + name;
}

struct FixtureBar {
  Timestamp ts;
  double open, high, low, close, volume;
};

// tests/fixtures/fix/ORCL.csv (data/sample/ORCL.csv, 2009-03-20..2009-04-15), in date order.
inline std::vector<FixtureBar> orcl_bars() {
  const CsvTable t = read_csv(fix_fixture("ORCL.csv"));
  std::vector<FixtureBar> bars;
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    bars.push_back({*parse_date(t.at(i, "Date")), t.num(i, "Open"), t.num(i, "High"), t.num(i, "Low"),
                    t.num(i, "Close"), t.num(i, "Volume")});
  return bars;
}

inline const FixtureBar& bar_at(const std::vector<FixtureBar>& bars, Timestamp ts) {
  for (const auto& b : bars)
    if (b.ts == ts) return b;
  throw std::runtime_error("no fixture bar at " + format_timestamp(ts));
}

inline fix::FixSessionConfig venue_session(const VenueProcess& venue, const std::string& store,
                                           const std::string& sender = "QTRADER") {
  fix::FixSessionConfig c;
  c.host = "127.0.0.1";
  c.port = venue.port();
  c.sender_comp_id = sender;
  c.target_comp_id = "VENUE";
  c.heartbeat_seconds = 1;
  c.reconnect_seconds = 1;
  c.logon_timeout_seconds = 5;
  c.store_dir = store;
  c.log_dir = store + "/log";
  return c;
}

// Every report a broker gave, gathered by polling.
class Reports {
 public:
  explicit Reports(live::Broker& broker) : broker_(broker) {}
  // Polls until `done` holds (or 10 s pass); its last answer.
  bool until(const std::function<bool(const Reports&)>& done,
             std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return eventually([&] {
      for (auto& e : broker_.poll()) all.push_back(std::move(e));
      return done(*this);
    }, timeout);
  }
  const live::BrokerExecution* find(const std::string& order, live::ExecutionKind kind) const {
    for (const auto& e : all)
      if (e.client_order_id == order && e.kind == kind) return &e;
    return nullptr;
  }
  bool has(const std::string& order, live::ExecutionKind kind) const { return find(order, kind) != nullptr; }

  std::vector<live::BrokerExecution> all;

 private:
  live::Broker& broker_;
};

inline live::BrokerOrder order(const std::string& id, Side side, double qty, OrderType type = OrderType::Market,
                               double limit = kNaN, double stop = kNaN, TimeInForce tif = TimeInForce::GTC) {
  live::BrokerOrder o;
  o.client_order_id = id;
  o.symbol = "ORCL";
  o.side = side;
  o.quantity = qty;
  o.type = type;
  o.limit_price = limit;
  o.stop_price = stop;
  o.tif = tif;
  return o;
}

inline std::vector<std::string> venue_args(int interval_ms, bool clock_on_logon) {
  std::vector<std::string> a{"--data", "ORCL=" + fix_fixture("ORCL.csv"), "--interval-ms",
                             std::to_string(interval_ms)};
  if (clock_on_logon) a.push_back("--clock-on-logon");
  return a;
}

}  // namespace qtrader::test
