// Orders and execution reports between the Broker seam (live/broker.hpp) and
// FIX 4.4 messages (docs/fix.md "Orders"). Pure functions: no session here.
#pragma once

#include <string>

#include "fix/quickfix.hpp"
#include "live/broker.hpp"

namespace qtrader::fix {

// Market, Limit, Stop or StopLimit with TIF DAY, GTC, IOC or FOK; anything
// else throws std::invalid_argument naming the order and what FIX lacks.
FIX44::NewOrderSingle new_order_single(const live::BrokerOrder& order, const std::string& account,
                                       Timestamp now);

// 35=F for the working order `original`; `cancel_id` is the request's own ClOrdID.
FIX44::OrderCancelRequest order_cancel_request(const live::BrokerOrder& original, const std::string& cancel_id,
                                               const std::string& account, Timestamp now);

// 35=G for the working order `current` (its latest ClOrdID in
// `current.client_order_id`); `replace_id` is the request's own ClOrdID.
// Limit, stop and stop-limit orders only (std::invalid_argument else).
FIX44::OrderCancelReplaceRequest order_cancel_replace_request(const live::BrokerOrder& current,
                                                              const live::BrokerReplace& change,
                                                              const std::string& replace_id,
                                                              const std::string& account, Timestamp now);

// The order a ClOrdID of ours belongs to: a cancel's or a replace's own id
// (`<order>:cancel:<n>`, `<order>:replace:<n>`) names `<order>`.
std::string order_of(const std::string& clordid);

// 35=8. The order is named by its OrigClOrdID when the report answers a
// cancel (the ClOrdID is then the cancel request's), else by its ClOrdID.
live::BrokerExecution execution_from_report(const FIX::Message& report);

// 35=9: the order goes on as it was; kind CancelRejected, text "cancel rejected: "
// or "replace rejected: " (CxlRejResponseTo, 434) and the venue's reason.
live::BrokerExecution execution_from_cancel_reject(const FIX::Message& reject);

// Numbers travel as the shortest text that reads back to the same double.
std::string fix_number(double value);
double parse_fix_number(const std::string& text);  // NaN when not a number

// The field's text, or "" when the message does not carry it.
std::string field_or_empty(const FIX::FieldMap& map, int tag);

}  // namespace qtrader::fix
