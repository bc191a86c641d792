// Basic value types shared by every service.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

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

enum class Intention : std::uint8_t { OpenLong, CloseLong, OpenShort, CloseShort };
enum class Side : std::uint8_t { Buy, Sell };
enum class OrderType : std::uint8_t { Market };

const char* to_string(Intention) noexcept;
const char* to_string(Side) noexcept;
const char* to_string(OrderType) noexcept;
// Parses "open_long" etc.; false when the text is not an intention.
bool parse_intention(const std::string& text, Intention& out) noexcept;

// Buying for opening a long or closing a short; selling otherwise.
inline Side side_of(Intention i) noexcept {
  return (i == Intention::OpenLong || i == Intention::CloseShort) ? Side::Buy : Side::Sell;
}

}  // namespace qtrader
