// logging.format: json — one JSON object per line, for log collectors:
// {"time":"2024-01-02T15:04:05.123Z","level":"warn","message":"..."}.
// The time is UTC; the message is escaped per RFC 8259.
#pragma once

#include <memory>

#include <spdlog/formatter.h>

namespace qtrader {

std::unique_ptr<spdlog::formatter> make_json_log_formatter();

}  // namespace qtrader
