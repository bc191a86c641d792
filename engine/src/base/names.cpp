#include <cstring>

#include "qtrader/errors.hpp"
#include "qtrader/events.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

namespace {
constexpr const char* kIntentionNames[] = {"open_long", "close_long", "open_short", "close_short"};
}

const char* to_string(Intention i) noexcept { return kIntentionNames[static_cast<int>(i)]; }
const char* to_string(Side s) noexcept { return s == Side::Buy ? "buy" : "sell"; }
const char* to_string(OrderType) noexcept { return "market"; }

bool parse_intention(const std::string& text, Intention& out) noexcept {
  for (int i = 0; i < 4; ++i) {
    if (text == kIntentionNames[i]) {
      out = static_cast<Intention>(i);
      return true;
    }
  }
  return false;
}

const char* to_string(EventType t) noexcept {
  switch (t) {
    case EventType::BacktestStart: return "backtest_start";
    case EventType::Bar: return "bar";
    case EventType::Slice: return "slice";
    case EventType::Signal: return "signal";
    case EventType::Order: return "order";
    case EventType::OrderRejected: return "order_rejected";
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
