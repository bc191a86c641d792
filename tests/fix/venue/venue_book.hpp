// The test venue's orders and positions, and how a bar fills them
// (docs/fix.md "The test venue"): no commission; a bar fills at most
// `max_fill` shares of an order (0: all of it), the rest waits for the next bar.
//   market      the next bar's open
//   limit       buy: the open if at or below the limit, else the limit if the low reaches it (sell mirrored)
//   stop        buy: the open if at or above the stop, else the stop if the high reaches it (sell mirrored)
//   stop limit  triggered as a stop; fills at the trigger price when that is within the limit,
//               else rests as a limit from the next bar
//   day/ioc     what their first bar does not fill expires on it; gtc works until filled or cancelled
//   fok         expires on its first bar unless that bar fills all of it
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "venue_bars.hpp"

namespace qtrader::fix_venue {

struct VenueOrder {
  std::string order_id;         // ours: V1, V2, ...
  std::string client_order_id;  // as first sent: the order's name in the logs
  std::string current_id;       // its ClOrdID after a replace (35=G); "" before any
  std::string client;           // the SenderCompID of the session that sent it
  std::string account;          // Account (1), else the client: positions are kept by account
  std::string symbol;
  char side = '1';              // FIX Side
  double quantity = 0;
  char type = '1';              // FIX OrdType
  double price = 0, stop = 0;   // when the type has them
  char tif = '0';               // FIX TimeInForce
  std::string expire_time;      // GTD (6): ExpireTime (126), "YYYYMMDD-HH:MM:SS[.sss]" UTC
  int replaces = 0;
  std::size_t first_bar = 0;    // the first bar (clock index) that may fill it
  char status = '0';            // FIX OrdStatus: 0 new, 1 partially filled, 2 filled, 4 cancelled, C expired
  bool triggered = false;       // a stop limit whose stop was reached
  double cumulative = 0;        // filled so far
  double notional = 0;          // sum of quantity × price of its fills
  int fills = 0;
  double fill_quantity = 0;     // the last fill's
  double fill_price = 0;
  std::string fill_date;
  bool working() const { return status == '0' || status == '1'; }
  const std::string& clordid() const { return current_id.empty() ? client_order_id : current_id; }
  double leaves() const { return working() ? quantity - cumulative : 0; }
};

struct VenuePosition {
  double quantity = 0;          // signed
  double average_price = 0;
};

// What happened to an order on a bar.
struct BookEvent {
  enum class Kind { Filled, Expired } kind;  // Filled: one fill, whole or part (the order's fill_* fields)
  std::string order_id;
};

class VenueBook {
 public:
  std::map<std::string, VenueOrder> orders;  // by order id
  std::map<std::string, std::map<std::string, VenuePosition>> positions;  // account -> symbol
  std::size_t next_bar = 0;                  // the clock: the next bar to publish
  int last_order_number = 0;
  bool started = false;
  // Market data subscriptions by client: kept, so that bars published while a
  // client is away reach it through the FIX store's resend.
  std::map<std::string, std::set<std::string>> subscriptions;

  VenueOrder* find_by_client_id(const std::string& client_order_id);
  std::vector<const VenueOrder*> working(const std::string& account) const;  // in order id order

  // Applies bar `index` of `market` to the working orders, oldest first;
  // `max_fill` > 0 caps each order's fill on the bar.
  std::vector<BookEvent> apply_bar(const VenueMarket& market, std::size_t index, double max_fill = 0);

  void save(const std::string& path) const;  // written whole, then renamed over the old file
  static VenueBook load(const std::string& path);  // empty when the file does not exist
};

}  // namespace qtrader::fix_venue
