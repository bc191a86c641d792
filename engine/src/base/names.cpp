#include <cstring>

#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/events.hpp"
#include "qtrader/script_api.hpp"
#include "qtrader/types.hpp"

namespace qtrader {


namespace {
constexpr const char* kIntentionNames[] = {"open_long", "close_long", "open_short", "close_short"};
constexpr const char* kOrderTypeNames[] = {"market", "limit", "stop", "stop_limit", "trailing_stop",
                                           "market_on_close"};
constexpr const char* kTifNames[] = {"gtc", "day", "ioc", "fok", "gtd"};
constexpr const char* kOrderStatusNames[] = {"accepted", "partially_filled", "filled", "cancelled",
                                             "expired"};
constexpr const char* kFillPolicyNames[] = {"next_bar_open", "same_bar_close"};
constexpr const char* kCommissionKindNames[] = {"percentage", "per_share", "fixed", "tiered"};
constexpr const char* kSlippageKindNames[] = {"none", "fixed_bps", "fixed_amount", "volume_share"};
constexpr const char* kImpactKindNames[] = {"none", "linear", "sqrt"};
constexpr const char* kLotMatchingNames[] = {"fifo", "lifo"};
constexpr const char* kEventStoreBackendNames[] = {"sqlite", "memory", "none"};
constexpr const char* kEventStoreFormNames[] = {"compact", "full"};
constexpr const char* kSandboxModeNames[] = {"strict", "trusted"};
constexpr const char* kLogFormatNames[] = {"console", "json"};
constexpr const char* kStalePolicyNames[] = {"keep", "close"};
constexpr const char* kLogLevelNames[] = {"trace", "debug", "info", "warn", "error"};
}  // namespace

template <> std::span<const char* const> names_of<Intention>() noexcept { return kIntentionNames; }
template <> std::span<const char* const> names_of<OrderType>() noexcept { return kOrderTypeNames; }
template <> std::span<const char* const> names_of<TimeInForce>() noexcept { return kTifNames; }
template <> std::span<const char* const> names_of<OrderStatus>() noexcept { return kOrderStatusNames; }
template <> std::span<const char* const> names_of<FillPolicy>() noexcept { return kFillPolicyNames; }
template <> std::span<const char* const> names_of<CommissionKind>() noexcept {
  return kCommissionKindNames;
}
template <> std::span<const char* const> names_of<SlippageKind>() noexcept {
  return kSlippageKindNames;
}
template <> std::span<const char* const> names_of<ImpactKind>() noexcept { return kImpactKindNames; }
template <> std::span<const char* const> names_of<LotMatching>() noexcept { return kLotMatchingNames; }
template <> std::span<const char* const> names_of<EventStoreBackend>() noexcept {
  return kEventStoreBackendNames;
}
template <> std::span<const char* const> names_of<EventStoreForm>() noexcept { return kEventStoreFormNames; }
template <> std::span<const char* const> names_of<SandboxMode>() noexcept { return kSandboxModeNames; }
template <> std::span<const char* const> names_of<LogFormat>() noexcept { return kLogFormatNames; }
template <> std::span<const char* const> names_of<StalePolicy>() noexcept { return kStalePolicyNames; }
template <> std::span<const char* const> names_of<LogLevel>() noexcept { return kLogLevelNames; }

std::string quoted_names(std::span<const char* const> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += '"';
    out += names[i];
    out += '"';
  }
  return out;
}

const char* to_string(Intention i) noexcept { return kIntentionNames[static_cast<int>(i)]; }
const char* to_string(Side s) noexcept { return s == Side::Buy ? "buy" : "sell"; }
const char* to_string(OrderType t) noexcept { return kOrderTypeNames[static_cast<int>(t)]; }
const char* to_string(TimeInForce t) noexcept { return kTifNames[static_cast<int>(t)]; }
const char* to_string(OrderStatus s) noexcept { return kOrderStatusNames[static_cast<int>(s)]; }
bool parse_order_type(const std::string& text, OrderType& out) noexcept { return parse_name(text, out); }
bool parse_time_in_force(const std::string& text, TimeInForce& out) noexcept {
  return parse_name(text, out);
}
bool parse_intention(const std::string& text, Intention& out) noexcept { return parse_name(text, out); }

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
    case EventType::CorporateAction: return "corporate_action";
    case EventType::ModifyOrder: return "modify_order";
    case EventType::Tick: return "tick";
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
