#include "serve/session_messages.hpp"

#include <nlohmann/json.hpp>

namespace qtrader::serve {

namespace {
std::string message(const char* type, nlohmann::ordered_json data) {
  return nlohmann::ordered_json{{"type", type}, {"data", std::move(data)}}.dump();
}
}  // namespace

std::string progress_message(const std::string& session_id, const ProgressFigures& p) {
  return message("backtest.progress", {{"session_id", session_id},
                                       {"progress_pct", p.progress_pct},
                                       {"current_timestamp", p.current_timestamp},
                                       {"current_pnl", p.current_pnl},
                                       {"open_positions", p.open_positions},
                                       {"equity", p.equity}});
}

std::string completed_message(const std::string& session_id, double final_pnl, long long total_trades,
                              std::optional<double> win_rate, double duration_seconds) {
  return message("backtest.completed",
                 {{"session_id", session_id},
                  {"final_pnl", final_pnl},
                  {"total_trades", total_trades},
                  {"win_rate", win_rate ? nlohmann::ordered_json(*win_rate) : nlohmann::ordered_json(nullptr)},
                  {"duration_seconds", duration_seconds}});
}

std::string failed_message(const std::string& session_id, const std::string& error) {
  return message("backtest.failed", {{"session_id", session_id}, {"error", error}});
}

std::string stopped_message(const std::string& session_id, double progress_pct, double duration_seconds) {
  return message("backtest.stopped", {{"session_id", session_id},
                                      {"progress_pct", progress_pct},
                                      {"duration_seconds", duration_seconds}});
}

}  // namespace qtrader::serve
