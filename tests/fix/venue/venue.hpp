// qtrader_fix_venue: a FIX 4.4 acceptor for the tests (docs/fix.md "The test
// venue"). One thread: QuickFIX's SocketAcceptor is polled between the
// ticks of the bar clock, so every message goes out in the order it was made.
#pragma once

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fix/quickfix.hpp"
#include "venue_bars.hpp"
#include "venue_book.hpp"

namespace qtrader::fix_venue {

struct VenueOptions {
  int port = 0;
  std::string sender = "VENUE";
  std::vector<std::string> clients{"QTRADER", "QTRADER-MD"};
  std::map<std::string, std::string> data;  // symbol -> CSV
  std::string store;                         // book.json, fix/, log/, orders.csv, fills.csv
  int interval_ms = 100;                     // between bars
  bool clock_on_logon = false;               // else the clock starts with the first subscription
  bool free_clock = false;                   // the clock runs while no client is logged on (a market does not wait)
  double max_fill = 0;                       // the most a bar fills of one order; 0: all of it
};

class Venue final : private FIX::Application {
 public:
  explicit Venue(VenueOptions options);
  // Polls the acceptor and ticks the clock until `stopping` is set.
  void run(const volatile bool& stopping);

 private:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override;
  void onLogout(const FIX::SessionID&) override;
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message&, const FIX::SessionID&) override;

  void on_new_order(const FIX::Message& m, const FIX::SessionID& id);
  void on_cancel(const FIX::Message& m, const FIX::SessionID& id);
  void on_replace(const FIX::Message& m, const FIX::SessionID& id);
  void cancel_reject(const FIX::Message& m, const FIX::SessionID& id, const VenueOrder* o, char response_to,
                     const std::string& text);
  void on_mass_status(const FIX::Message& m, const FIX::SessionID& id);
  void on_order_status(const FIX::Message& m, const FIX::SessionID& id);
  void on_positions(const FIX::Message& m, const FIX::SessionID& id);
  void on_subscribe(const FIX::Message& m, const FIX::SessionID& id);
  void tick();  // publishes the next bar after filling the orders it reaches
  void end_of_data(const FIX::SessionID& id, const std::string& symbol);

  FIX44::ExecutionReport report(const VenueOrder& o, char exec_type, const std::string& exec_id) const;
  void reject_order(const FIX::Message& m, const FIX::SessionID& id, const std::string& text);
  FIX::SessionID session_of(const std::string& client) const;
  // Account (1) of a request, else the session's client CompID.
  static std::string account_of(const FIX::Message& m, const FIX::SessionID& id);
  // The venue's time: the open of the bar in the making (the next to publish), so an
  // order acknowledged at T fills at T's bar at the earliest.
  std::string now_text() const;
  void send(FIX::Message& m, const FIX::SessionID& id);
  void save();

  VenueOptions options_;
  VenueMarket market_;
  VenueBook book_;
  std::ofstream order_log_, fill_log_;
  int logged_on_ = 0;  // sessions: the clock stands still while no client is there
};

}  // namespace qtrader::fix_venue
