// The WebSocket messages of a session, exactly as docs/serve.md shows them:
// {"type": "backtest.<event>", "data": {...}}.
#pragma once

#include <optional>
#include <string>

namespace qtrader::serve {

struct ProgressFigures {
  double progress_pct = 0;
  std::string current_timestamp;
  double current_pnl = 0;
  long long open_positions = 0;
  double equity = 0;
};

std::string progress_message(const std::string& session_id, const ProgressFigures& p);
std::string completed_message(const std::string& session_id, double final_pnl, long long total_trades,
                              std::optional<double> win_rate, double duration_seconds);
std::string failed_message(const std::string& session_id, const std::string& error);
std::string stopped_message(const std::string& session_id, double progress_pct, double duration_seconds);

}  // namespace qtrader::serve
