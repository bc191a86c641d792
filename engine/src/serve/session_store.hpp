// The sessions of `qtrader serve`: one row per submitted backtest in the
// table backtest_sessions of <results>/sessions.sqlite, so a restarted
// server finds every session it ever had.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace SQLite { class Database; }

namespace qtrader::serve {

enum class SessionStatus { Started, Running, Completed, Failed, Stopped };
const char* to_string(SessionStatus s) noexcept;
bool is_finished(SessionStatus s) noexcept;

struct SessionRecord {
  std::string session_id;
  SessionStatus status = SessionStatus::Started;
  std::string backtest;  // the YAML (or JSON) as submitted
  std::string params;    // JSON object of the param overrides
  double acceleration_factor = 0;
  double progress_pct = 0;
  std::string current_timestamp;
  double current_pnl = 0, equity = 0;
  std::optional<double> final_pnl;
  std::optional<long long> total_trades;
  std::optional<double> win_rate;
  std::string started_at, completed_at;  // UTC, ISO 8601
  std::optional<double> duration_seconds;
  std::string error_message;
  std::string results_dir;  // the run's folder (trades.csv, equity.csv, report.html)
};

struct SessionEnd {
  SessionStatus status = SessionStatus::Failed;
  std::optional<double> final_pnl;
  std::optional<long long> total_trades;
  std::optional<double> win_rate;
  double duration_seconds = 0;
  std::string error_message;
};

class SessionStore {
 public:
  // Opens (or creates) <results_dir>/sessions.sqlite. A session that was
  // running when the last server died becomes failed ("server stopped").
  explicit SessionStore(const std::string& results_dir);
  ~SessionStore();

  // A new session, status started; its id is "s" and six digits, one more than the last.
  SessionRecord create(const std::string& backtest, const std::string& params, double acceleration_factor,
                       const std::string& sessions_root);
  void set_running(const std::string& id);
  void record_progress(const std::string& id, double pct, const std::string& timestamp, double pnl, double equity);
  void finish(const std::string& id, const SessionEnd& end);

  std::optional<SessionRecord> find(const std::string& id) const;
  std::vector<SessionRecord> list() const;  // oldest first
  std::vector<SessionRecord> with_status(SessionStatus s) const;

 private:
  std::unique_ptr<SQLite::Database> db_;
};

// "s" and six digits: the only form an id in a request may take.
bool is_session_id(const std::string& text) noexcept;

std::string utc_now_iso();

}  // namespace qtrader::serve
