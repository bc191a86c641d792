// Each event's fields as one JSON object (bars excepted: they are stored
// in columns, see sqlite_bar_chunks.hpp), written with fmt into a reused
// buffer: the per-bar path allocates nothing. Doubles are printed in their
// shortest round-trip form; NaN (an absent optional field) is left out.
#pragma once

#include <string_view>

#include <fmt/format.h>

#include "qtrader/events.hpp"

namespace qtrader::event_json {

using Buffer = fmt::memory_buffer;

void write(Buffer&, const BacktestStartEvent&);
void write(Buffer&, const SignalEvent&);
void write(Buffer&, const OrderEvent&);
void write(Buffer&, const OrderRejectedEvent&);
void write(Buffer&, const OrderUpdateEvent&);
void write(Buffer&, const CancelRequestEvent&);
void write(Buffer&, const ModifyOrderEvent&);
void write(Buffer&, const RecordEvent&);
void write(Buffer&, const FillEvent&);
void write(Buffer&, const PortfolioStateEvent&);
void write(Buffer&, const BacktestEndEvent&);
void write(Buffer&, const CorporateActionEvent&);

// `text` as a JSON string literal, quotes included.
void write_string(Buffer&, std::string_view text);

}  // namespace qtrader::event_json
