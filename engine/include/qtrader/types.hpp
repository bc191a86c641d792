// Basic value types shared by every service.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

namespace qtrader {

// Nanoseconds since the Unix epoch, UTC. Daily bars carry 00:00 of their date.
using Timestamp = std::int64_t;
inline constexpr Timestamp kNanosPerSecond = 1'000'000'000LL;
inline constexpr Timestamp kNanosPerDay = 86'400LL * kNanosPerSecond;

// Symbols are integer handles into the run's SymbolTable; names never travel
// on the hot path.
using SymbolId = std::uint32_t;
inline constexpr SymbolId kNoSymbol = std::numeric_limits<SymbolId>::max();

// Strategies are numbered in the order of the backtest file.
using StrategyIndex = std::uint16_t;
inline constexpr StrategyIndex kNoStrategy = std::numeric_limits<StrategyIndex>::max();

using OrderId = std::uint64_t;

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Prices and money are IEEE doubles, never rounded by the engine: fills happen
// at the bar's exact price and commissions are computed as rate * |qty| * price
// (the same operation order as backtrader), so results agree bit for bit with
// engines that do the same.
struct Bar {
  Timestamp ts = 0;
  SymbolId symbol = kNoSymbol;
  double open = kNaN;
  double high = kNaN;
  double low = kNaN;
  double close = kNaN;
  double volume = 0.0;
  double adj_close = kNaN;  // NaN where the source has no adjusted close
};

// One trade of a tick source (`kind: ticks`; docs/data.md "Ticks").
struct Tick {
  Timestamp ts = 0;
  SymbolId symbol = kNoSymbol;
  double price = kNaN;
  double size = 0.0;
  double bid = kNaN, ask = kNaN;  // NaN when the file has no such column (or the field is empty)
};

// What the data knows about a bar's place in time, from its stream's one bar
// of look-ahead (BarStream::flags): facts of the clock and the file, never of
// later prices. Strategies do not see them; execution does (market-on-close,
// data.stale_policy: close).
enum BarFlag : std::uint8_t {
  kBarSessionClose = 1,  // the last bar of its exchange session (docs/execution.md)
  kBarEndOfData = 2,     // the symbol's last bar while other symbols' data goes on
};

enum class Intention : std::uint8_t { OpenLong, CloseLong, OpenShort, CloseShort };
enum class Side : std::uint8_t { Buy, Sell };
enum class OrderType : std::uint8_t { Market, Limit, Stop, StopLimit, TrailingStop, MarketOnClose };
enum class TimeInForce : std::uint8_t { GTC, Day, IOC, FOK, GTD };
// What happened to an order after it was accepted (rejections have their own event).
enum class OrderStatus : std::uint8_t { Accepted, PartiallyFilled, Filled, Cancelled, Expired };

// How an order is to be executed. Market/GTC unless a signal asks otherwise.
struct OrderSpec {
  OrderType type = OrderType::Market;
  double limit_price = kNaN;    // Limit, StopLimit
  double stop_price = kNaN;     // Stop, StopLimit; the initial trigger of a TrailingStop
  double trail_amount = kNaN;   // TrailingStop: by amount ...
  double trail_percent = kNaN;  // ... or by percent (5 = 5%)
  TimeInForce tif = TimeInForce::GTC;
  Timestamp expiry = 0;         // GTD only
};

// The names of an enum's values, in enum order (engine/src/base/names.cpp):
// the one table that to_string, parse_name and every error message listing
// the valid names read, so a new value cannot be missing from one of them.
template <class E>
std::span<const char* const> names_of() noexcept;
template <> std::span<const char* const> names_of<Intention>() noexcept;
template <> std::span<const char* const> names_of<OrderType>() noexcept;
template <> std::span<const char* const> names_of<TimeInForce>() noexcept;
template <> std::span<const char* const> names_of<OrderStatus>() noexcept;

// False when `text` names no value of E.
template <class E>
bool parse_name(std::string_view text, E& out) noexcept {
  const auto names = names_of<E>();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (text == names[i]) {
      out = static_cast<E>(i);
      return true;
    }
  return false;
}

template <class E>
const char* name_of(E value) noexcept {
  return names_of<E>()[static_cast<std::size_t>(value)];
}

// "\"a\", \"b\" or \"c\"", for a message that lists the valid names.
std::string quoted_names(std::span<const char* const> names);
template <class E>
std::string quoted_names() {
  return quoted_names(names_of<E>());
}

// The one check of an order's own execution fields, for a signal (with
// `order_time` the current bar) and again for an order at acceptance: ""
// when sound, else the reason, worded the same wherever it is raised.
// Prices a type needs must be finite and > 0; a field that belongs to
// another type (or an expiry without gtd) is refused, not ignored.
std::string validate_order_spec(const OrderSpec& spec, Timestamp order_time);

const char* to_string(Intention) noexcept;
const char* to_string(Side) noexcept;
const char* to_string(OrderType) noexcept;
const char* to_string(TimeInForce) noexcept;
const char* to_string(OrderStatus) noexcept;
// "market", "limit", "stop", "stop_limit", "trailing_stop", "market_on_close"
bool parse_order_type(const std::string& text, OrderType& out) noexcept;
// "gtc", "day", "ioc", "fok", "gtd"
bool parse_time_in_force(const std::string& text, TimeInForce& out) noexcept;
// Parses "open_long" etc.; false when the text is not an intention.
bool parse_intention(const std::string& text, Intention& out) noexcept;

// Buying for opening a long or closing a short; selling otherwise.
inline Side side_of(Intention i) noexcept {
  return (i == Intention::OpenLong || i == Intention::CloseShort) ? Side::Buy : Side::Sell;
}

}  // namespace qtrader
