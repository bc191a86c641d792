#include "fix/fix_order_mapping.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "fix/fix_time.hpp"

namespace qtrader::fix {

namespace {

char ord_type_of(const live::BrokerOrder& o) {
  switch (o.type) {
    case OrderType::Market: return FIX::OrdType_MARKET;
    case OrderType::Limit: return FIX::OrdType_LIMIT;
    case OrderType::Stop: return FIX::OrdType_STOP;
    case OrderType::StopLimit: return FIX::OrdType_STOP_LIMIT;
    default:
      throw std::invalid_argument(fmt::format("order {}: type {} has no FIX 4.4 NewOrderSingle here "
                                              "(market, limit, stop, stop_limit)",
                                              o.client_order_id, to_string(o.type)));
  }
}

char tif_of(const live::BrokerOrder& o) {
  switch (o.tif) {
    case TimeInForce::Day: return FIX::TimeInForce_DAY;
    case TimeInForce::GTC: return FIX::TimeInForce_GOOD_TILL_CANCEL;
    case TimeInForce::IOC: return FIX::TimeInForce_IMMEDIATE_OR_CANCEL;
    case TimeInForce::FOK: return FIX::TimeInForce_FILL_OR_KILL;
    case TimeInForce::GTD:
      if (o.expire_at <= 0)
        throw std::invalid_argument(fmt::format("order {}: a gtd order needs its expiry", o.client_order_id));
      return FIX::TimeInForce_GOOD_TILL_DATE;
    default:
      throw std::invalid_argument(fmt::format("order {}: time in force {} is not sent over FIX here "
                                              "(day, gtc, ioc, fok, gtd)",
                                              o.client_order_id, to_string(o.tif)));
  }
}

void require_price(const live::BrokerOrder& o, double price, const char* what) {
  if (!std::isfinite(price) || price <= 0)
    throw std::invalid_argument(
        fmt::format("order {}: a {} order needs a {} > 0", o.client_order_id, to_string(o.type), what));
}

live::ExecutionKind kind_of(char exec_type, double leaves) {
  switch (exec_type) {
    case FIX::ExecType_NEW: return live::ExecutionKind::New;
    case FIX::ExecType_TRADE:
    case '1':  // FIX 4.2's partial fill and fill, still sent by some venues
    case '2': return leaves > 0 ? live::ExecutionKind::PartialFill : live::ExecutionKind::Fill;
    case FIX::ExecType_CANCELED: return live::ExecutionKind::Cancelled;
    case FIX::ExecType_REJECTED: return live::ExecutionKind::Rejected;
    case FIX::ExecType_EXPIRED: return live::ExecutionKind::Expired;
    case FIX::ExecType_REPLACED: return live::ExecutionKind::Replaced;
    default: return live::ExecutionKind::Status;  // order status, pending, replaced, restated, done for day
  }
}

live::BrokerOrderState state_of(const std::string& ord_status, const std::string& reject_reason) {
  if (ord_status.empty()) return live::BrokerOrderState::Unknown;
  switch (ord_status[0]) {
    case FIX::OrdStatus_FILLED: return live::BrokerOrderState::Filled;
    case FIX::OrdStatus_CANCELED: return live::BrokerOrderState::Cancelled;
    case FIX::OrdStatus_EXPIRED: return live::BrokerOrderState::Expired;
    case FIX::OrdStatus_REJECTED:
      // The answer to a status request for an order the venue never had.
      return reject_reason == "5" ? live::BrokerOrderState::Unknown : live::BrokerOrderState::Rejected;
    default: return live::BrokerOrderState::Working;  // new, partially filled, pending, replaced, ...
  }
}

void set_text(FIX::FieldMap& m, int tag, const std::string& value) { m.setField(FIX::FieldBase(tag, value)); }

}  // namespace

std::string fix_number(double value) { return fmt::format("{}", value); }

double parse_fix_number(const std::string& text) {
  double v = kNaN;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && end == text.data() + text.size() ? v : kNaN;
}

std::string field_or_empty(const FIX::FieldMap& map, int tag) {
  return map.isSetField(tag) ? map.getField(tag) : std::string();
}

FIX44::NewOrderSingle new_order_single(const live::BrokerOrder& o, const std::string& account, Timestamp now) {
  if (o.client_order_id.empty()) throw std::invalid_argument("an order without a client order id");
  if (!(o.quantity > 0))
    throw std::invalid_argument(fmt::format("order {}: quantity must be > 0", o.client_order_id));
  const char type = ord_type_of(o);
  const char tif = tif_of(o);
  FIX44::NewOrderSingle m;
  m.set(FIX::ClOrdID(o.client_order_id));
  if (!account.empty()) m.set(FIX::Account(account));
  m.set(FIX::HandlInst(FIX::HandlInst_AUTOMATED_EXECUTION_ORDER_PRIVATE_NO_BROKER_INTERVENTION));
  m.set(FIX::Symbol(o.symbol));
  m.set(FIX::Side(o.side == Side::Buy ? FIX::Side_BUY : FIX::Side_SELL));
  set_text(m, FIX::FIELD::TransactTime, fix_timestamp(now));
  set_text(m, FIX::FIELD::OrderQty, fix_number(o.quantity));
  m.set(FIX::OrdType(type));
  if (o.type == OrderType::Limit || o.type == OrderType::StopLimit) {
    require_price(o, o.limit_price, "limit price");
    set_text(m, FIX::FIELD::Price, fix_number(o.limit_price));
  }
  if (o.type == OrderType::Stop || o.type == OrderType::StopLimit) {
    require_price(o, o.stop_price, "stop price");
    set_text(m, FIX::FIELD::StopPx, fix_number(o.stop_price));
  }
  m.set(FIX::TimeInForce(tif));
  if (tif == FIX::TimeInForce_GOOD_TILL_DATE) set_text(m, FIX::FIELD::ExpireTime, fix_timestamp(o.expire_at));
  return m;
}

FIX44::OrderCancelReplaceRequest order_cancel_replace_request(const live::BrokerOrder& o,
                                                              const live::BrokerReplace& change,
                                                              const std::string& replace_id,
                                                              const std::string& account, Timestamp now) {
  if (o.type != OrderType::Limit && o.type != OrderType::Stop && o.type != OrderType::StopLimit)
    throw std::invalid_argument(fmt::format("order {}: only limit, stop and stop-limit orders are replaced",
                                            order_of(o.client_order_id)));
  if (!(change.quantity > 0))
    throw std::invalid_argument(fmt::format("order {}: a replace needs a quantity > 0", order_of(o.client_order_id)));
  live::BrokerOrder next = o;
  next.quantity = change.quantity;
  if (std::isfinite(change.limit_price)) next.limit_price = change.limit_price;
  if (std::isfinite(change.stop_price)) next.stop_price = change.stop_price;
  const char tif = tif_of(next);
  FIX44::OrderCancelReplaceRequest m;
  m.set(FIX::OrigClOrdID(o.client_order_id));
  m.set(FIX::ClOrdID(replace_id));
  if (!account.empty()) m.set(FIX::Account(account));
  m.set(FIX::HandlInst(FIX::HandlInst_AUTOMATED_EXECUTION_ORDER_PRIVATE_NO_BROKER_INTERVENTION));
  m.set(FIX::Symbol(o.symbol));
  m.set(FIX::Side(o.side == Side::Buy ? FIX::Side_BUY : FIX::Side_SELL));
  set_text(m, FIX::FIELD::TransactTime, fix_timestamp(now));
  set_text(m, FIX::FIELD::OrderQty, fix_number(next.quantity));
  m.set(FIX::OrdType(ord_type_of(next)));
  if (next.type != OrderType::Stop) {
    require_price(next, next.limit_price, "limit price");
    set_text(m, FIX::FIELD::Price, fix_number(next.limit_price));
  }
  if (next.type != OrderType::Limit) {
    require_price(next, next.stop_price, "stop price");
    set_text(m, FIX::FIELD::StopPx, fix_number(next.stop_price));
  }
  m.set(FIX::TimeInForce(tif));
  if (tif == FIX::TimeInForce_GOOD_TILL_DATE) set_text(m, FIX::FIELD::ExpireTime, fix_timestamp(next.expire_at));
  return m;
}

std::string order_of(const std::string& clordid) {
  for (const char* suffix : {":cancel:", ":replace:"})
    if (const auto at = clordid.find(suffix); at != std::string::npos) return clordid.substr(0, at);
  return clordid;
}

FIX44::OrderCancelRequest order_cancel_request(const live::BrokerOrder& o, const std::string& cancel_id,
                                               const std::string& account, Timestamp now) {
  FIX44::OrderCancelRequest m;
  m.set(FIX::OrigClOrdID(o.client_order_id));
  m.set(FIX::ClOrdID(cancel_id));
  if (!account.empty()) m.set(FIX::Account(account));
  m.set(FIX::Symbol(o.symbol));
  m.set(FIX::Side(o.side == Side::Buy ? FIX::Side_BUY : FIX::Side_SELL));
  set_text(m, FIX::FIELD::TransactTime, fix_timestamp(now));
  set_text(m, FIX::FIELD::OrderQty, fix_number(o.quantity));
  return m;
}

live::BrokerExecution execution_from_report(const FIX::Message& r) {
  live::BrokerExecution e;
  const std::string orig = field_or_empty(r, FIX::FIELD::OrigClOrdID);
  e.client_order_id = order_of(orig.empty() ? field_or_empty(r, FIX::FIELD::ClOrdID) : orig);
  e.broker_order_id = field_or_empty(r, FIX::FIELD::OrderID);
  e.exec_id = field_or_empty(r, FIX::FIELD::ExecID);
  e.symbol = field_or_empty(r, FIX::FIELD::Symbol);
  e.side = field_or_empty(r, FIX::FIELD::Side) == "2" ? Side::Sell : Side::Buy;
  const auto number = [&](int tag, double fallback) {
    const std::string t = field_or_empty(r, tag);
    return t.empty() ? fallback : parse_fix_number(t);
  };
  e.order_quantity = number(FIX::FIELD::OrderQty, 0);
  e.limit_price = number(FIX::FIELD::Price, kNaN);
  e.stop_price = number(FIX::FIELD::StopPx, kNaN);
  switch (const std::string t = field_or_empty(r, FIX::FIELD::OrdType); t.empty() ? '1' : t[0]) {
    case FIX::OrdType_LIMIT: e.order_type = OrderType::Limit; break;
    case FIX::OrdType_STOP: e.order_type = OrderType::Stop; break;
    case FIX::OrdType_STOP_LIMIT: e.order_type = OrderType::StopLimit; break;
    default: e.order_type = OrderType::Market; break;
  }
  e.last_quantity = number(FIX::FIELD::LastQty, 0);
  e.last_price = number(FIX::FIELD::LastPx, kNaN);
  e.cumulative_quantity = number(FIX::FIELD::CumQty, 0);
  e.leaves_quantity = number(FIX::FIELD::LeavesQty, 0);
  e.commission = number(FIX::FIELD::Commission, 0);
  if (e.cumulative_quantity > 0) e.average_price = number(FIX::FIELD::AvgPx, kNaN);
  e.state = state_of(field_or_empty(r, FIX::FIELD::OrdStatus), field_or_empty(r, FIX::FIELD::OrdRejReason));
  e.text = field_or_empty(r, FIX::FIELD::Text);
  e.transact_time = parse_fix_timestamp(field_or_empty(r, FIX::FIELD::TransactTime)).value_or(0);
  const std::string exec_type = field_or_empty(r, FIX::FIELD::ExecType);
  e.kind = kind_of(exec_type.empty() ? '\0' : exec_type[0], e.leaves_quantity);
  if (e.kind != live::ExecutionKind::PartialFill && e.kind != live::ExecutionKind::Fill) {
    e.last_quantity = 0;  // a report that is not a fill carries no fill, whatever LastQty says
    e.last_price = kNaN;
  }
  return e;
}

live::BrokerExecution execution_from_cancel_reject(const FIX::Message& r) {
  live::BrokerExecution e;
  e.client_order_id = order_of(field_or_empty(r, FIX::FIELD::OrigClOrdID));
  e.broker_order_id = field_or_empty(r, FIX::FIELD::OrderID);
  // A cancel reject has no ExecID; the cancel request's ClOrdID is unique.
  e.exec_id = "cancel-reject:" + field_or_empty(r, FIX::FIELD::ClOrdID);
  e.kind = live::ExecutionKind::CancelRejected;
  e.state = state_of(field_or_empty(r, FIX::FIELD::OrdStatus), "");
  const std::string reason = field_or_empty(r, FIX::FIELD::Text);
  const bool replace = field_or_empty(r, FIX::FIELD::CxlRejResponseTo) == "2";
  e.text = std::string(replace ? "replace rejected" : "cancel rejected") +
           (reason.empty() ? std::string() : ": " + reason);
  e.transact_time = parse_fix_timestamp(field_or_empty(r, FIX::FIELD::TransactTime)).value_or(0);
  return e;
}

}  // namespace qtrader::fix
