// A broker's view against the engine's after a start or a restart
// (docs/live.md "State that survives a crash", "Reconciliation policy").
#pragma once

#include <string>
#include <vector>

#include "live/broker.hpp"
#include "live/broker_execution_service.hpp"
#include "live/live_state.hpp"
#include "portfolio/portfolio.hpp"
#include "qtrader/symbol_table.hpp"

namespace qtrader::live {

// The broker's own view against the rebuilt book. First each order the
// engine believes working is asked after (Broker::order_status): a fill,
// cancel or expiry whose report was lost with the killed process is made
// good from the broker's totals ("recovery" events). Then request_state:
// working orders by client order id, positions by symbol. A mismatch is a
// "reconciliation" event; with live.reconcile adopt_broker the broker's
// figure is taken ("correction" events), with halt the caller stops.
// A fresh session (`resumed` false) records an event only on a mismatch.
// Returns the mismatches when `halt` (the caller stops), else none.
std::vector<std::string> reconcile_with_broker(Broker& broker, BrokerExecutionService& adapter,
                                               const Portfolio& portfolio, const SymbolTable& symbols,
                                               LiveState& state, Timestamp ts, bool resumed, bool halt);

}  // namespace qtrader::live
