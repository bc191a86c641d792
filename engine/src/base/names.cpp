#include <cstring>

#include "qtrader/errors.hpp"
#include "qtrader/events.hpp"
#include "qtrader/types.hpp"

namespace qtrader {


namespace {
constexpr const char* kIntentionNames[] = {"open_long", "close_long", "open_short", "close_short"};
constexpr const char* kOrderTypeNames[] = {"market", "limit", "stop", "stop_limit", "trailing_stop",
                                           "market_on_close"};
constexpr const char* kTifNames[] = {"gtc", "day", "ioc", "fok", "gtd"};
constexpr const char* kOrderStatusNames[] = {"accepted", "partially_filled", "filled", "cancelled",
                                             "expired"};

template <class E, std::size_t N>
bool parse_name(const std::string& text, const char* const (&names)[N], E& out) noexcept {
  for (std::size_t i = 0; i < N; ++i)
    if (text == names[i]) {
      out = static_cast<E>(i);
      return true;
    }
  return false;
}
}  // namespace

const char* to_string(Intention i) noexcept { return kIntentionNames[static_cast<int>(i)]; }
const char* to_string(Side s) noexcept { return s == Side::Buy ? "buy" : "sell"; }
const char* to_string(OrderType t) noexcept { return kOrderTypeNames[static_cast<int>(t)]; }
const char* to_string(TimeInForce t) noexcept { return kTifNames[static_cast<int>(t)]; }
const char* to_string(OrderStatus s) noexcept { return kOrderStatusNames[static_cast<int>(s)]; }
bool parse_order_type(const std::string& text, OrderType& out) noexcept {
  return parse_name(text, kOrderTypeNames, out);
}
bool parse_time_in_force(const std::string& text, TimeInForce& out) noexcept {
  return parse_name(text, kTifNames, out);
}

bool parse_intention(const std::string& text, Intention& out) noexcept {
  return parse_name(text, kIntentionNames, out);
}

const char* to_string(EventType t) noexcept {
  switch (t) {
    case EventType::BacktestStart: return "backtest_start";
    case EventType::Bar: return "bar";
    case EventType::Slice: return "slice";
    case EventType::Signal: return "signal";
    case EventType::Order: return "order";
    case EventType::OrderRejected: return "order_rejected";
    case EventType::OrderUpdate: return "order_update";
    case EventType::CancelRequest: return "cancel_request";
    case EventType::Record: return "record";
    case EventType::Fill: return "fill";
    case EventType::PortfolioState: return "portfolio_state";
    case EventType::ValuationTrigger: return "valuation_trigger";
    case EventType::RiskEvaluationTrigger: return "risk_evaluation_trigger";
    case EventType::BacktestEnd: return "backtest_end";
    case EventType::Count_: break;
  }
  return "unknown";
}

const char* to_string(ScriptError::Kind k) noexcept {
  switch (k) {
    case ScriptError::Kind::Load: return "load";
    case ScriptError::Kind::Runtime: return "runtime";
    case ScriptError::Kind::Memory: return "memory";
    case ScriptError::Kind::Timeout: return "timeout";
    case ScriptError::Kind::Usage: return "usage";
    case ScriptError::Kind::ErrorInHandler: return "error_in_handler";
  }
  return "unknown";
}

}  // namespace qtrader
