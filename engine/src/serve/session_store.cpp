#include "serve/session_store.hpp"

#include "base/wall_clock.hpp"

#include <ctime>
#include <filesystem>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

namespace qtrader::serve {

namespace fs = std::filesystem;

namespace {

constexpr const char* kColumns =
    "session_id, status, backtest, params, acceleration_factor, progress_pct, \"current_timestamp\", "
    "current_pnl, equity, final_pnl, total_trades, win_rate, started_at, completed_at, duration_seconds, "
    "error_message, results_dir";

SessionStatus status_from(const std::string& s) {
  if (s == "running") return SessionStatus::Running;
  if (s == "completed") return SessionStatus::Completed;
  if (s == "failed") return SessionStatus::Failed;
  if (s == "stopped") return SessionStatus::Stopped;
  return SessionStatus::Started;
}

template <class T>
std::optional<T> optional_column(const SQLite::Column& c) {
  if (c.isNull()) return std::nullopt;
  if constexpr (std::is_same_v<T, double>) return c.getDouble();
  else return c.getInt64();
}

SessionRecord read_row(SQLite::Statement& q) {
  SessionRecord r;
  r.session_id = q.getColumn(0).getString();
  r.status = status_from(q.getColumn(1).getString());
  r.backtest = q.getColumn(2).getString();
  r.params = q.getColumn(3).getString();
  r.acceleration_factor = q.getColumn(4).getDouble();
  r.progress_pct = q.getColumn(5).getDouble();
  r.current_timestamp = q.getColumn(6).getString();
  r.current_pnl = q.getColumn(7).getDouble();
  r.equity = q.getColumn(8).getDouble();
  r.final_pnl = optional_column<double>(q.getColumn(9));
  r.total_trades = optional_column<long long>(q.getColumn(10));
  r.win_rate = optional_column<double>(q.getColumn(11));
  r.started_at = q.getColumn(12).getString();
  r.completed_at = q.getColumn(13).getString();
  r.duration_seconds = optional_column<double>(q.getColumn(14));
  r.error_message = q.getColumn(15).getString();
  r.results_dir = q.getColumn(16).getString();
  return r;
}

}  // namespace

const char* to_string(SessionStatus s) noexcept {
  switch (s) {
    case SessionStatus::Started: return "started";
    case SessionStatus::Running: return "running";
    case SessionStatus::Completed: return "completed";
    case SessionStatus::Failed: return "failed";
    case SessionStatus::Stopped: return "stopped";
  }
  return "started";
}

bool is_finished(SessionStatus s) noexcept {
  return s == SessionStatus::Completed || s == SessionStatus::Failed || s == SessionStatus::Stopped;
}

bool is_session_id(const std::string& text) noexcept {
  if (text.size() != 7 || text[0] != 's') return false;
  for (std::size_t i = 1; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

std::string utc_now_iso() { return wall_clock_iso(WallClockZone::Utc); }

SessionStore::SessionStore(const std::string& results_dir) {
  fs::create_directories(results_dir);
  db_ = std::make_unique<SQLite::Database>((fs::path(results_dir) / "sessions.sqlite").string(),
                                           SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db_->exec("PRAGMA journal_mode=WAL");
  db_->exec(
      "CREATE TABLE IF NOT EXISTS backtest_sessions ("
      " session_id TEXT PRIMARY KEY, status TEXT NOT NULL, backtest TEXT NOT NULL, params TEXT NOT NULL,"
      " acceleration_factor REAL NOT NULL DEFAULT 0, progress_pct REAL NOT NULL DEFAULT 0,"
      " \"current_timestamp\" TEXT NOT NULL DEFAULT '', current_pnl REAL NOT NULL DEFAULT 0,"
      " equity REAL NOT NULL DEFAULT 0, final_pnl REAL, total_trades INTEGER, win_rate REAL,"
      " started_at TEXT NOT NULL, completed_at TEXT NOT NULL DEFAULT '', duration_seconds REAL,"
      " error_message TEXT NOT NULL DEFAULT '', results_dir TEXT NOT NULL)");
  // Its process died with the server that watched it (PR_SET_PDEATHSIG), or
  // was never seen to end: either way nobody will finish it.
  SQLite::Statement q(*db_,
                      "UPDATE backtest_sessions SET status='failed', error_message='server stopped', "
                      "completed_at=? WHERE status='running'");
  q.bind(1, utc_now_iso());
  q.exec();
}

SessionStore::~SessionStore() = default;

SessionRecord SessionStore::create(const std::string& backtest, const std::string& params,
                                   double acceleration_factor, const std::string& sessions_root) {
  const long long last =
      db_->execAndGet("SELECT COALESCE(MAX(CAST(substr(session_id, 2) AS INTEGER)), 0) FROM backtest_sessions")
          .getInt64();
  SessionRecord r;
  r.session_id = fmt::format("s{:06}", last + 1);
  r.backtest = backtest;
  r.params = params;
  r.acceleration_factor = acceleration_factor;
  r.started_at = utc_now_iso();
  r.results_dir = (fs::path(sessions_root) / r.session_id / "run").string();
  SQLite::Statement q(*db_,
                      "INSERT INTO backtest_sessions (session_id, status, backtest, params, acceleration_factor,"
                      " started_at, results_dir) VALUES (?, 'started', ?, ?, ?, ?, ?)");
  q.bind(1, r.session_id);
  q.bind(2, backtest);
  q.bind(3, params);
  q.bind(4, acceleration_factor);
  q.bind(5, r.started_at);
  q.bind(6, r.results_dir);
  q.exec();
  return r;
}

void SessionStore::set_running(const std::string& id) {
  SQLite::Statement q(*db_, "UPDATE backtest_sessions SET status='running' WHERE session_id=?");
  q.bind(1, id);
  q.exec();
}

void SessionStore::record_progress(const std::string& id, double pct, const std::string& timestamp, double pnl,
                                   double equity) {
  SQLite::Statement q(*db_,
                      "UPDATE backtest_sessions SET progress_pct=?, \"current_timestamp\"=?, current_pnl=?, equity=?"
                      " WHERE session_id=?");
  q.bind(1, pct);
  q.bind(2, timestamp);
  q.bind(3, pnl);
  q.bind(4, equity);
  q.bind(5, id);
  q.exec();
}

void SessionStore::finish(const std::string& id, const SessionEnd& end) {
  SQLite::Statement q(*db_,
                      "UPDATE backtest_sessions SET status=?, final_pnl=?, total_trades=?, win_rate=?,"
                      " duration_seconds=?, error_message=?, completed_at=? WHERE session_id=?");
  q.bind(1, to_string(end.status));
  if (end.final_pnl) q.bind(2, *end.final_pnl); else q.bind(2);
  if (end.total_trades) q.bind(3, static_cast<int64_t>(*end.total_trades)); else q.bind(3);
  if (end.win_rate) q.bind(4, *end.win_rate); else q.bind(4);
  q.bind(5, end.duration_seconds);
  q.bind(6, end.error_message);
  q.bind(7, utc_now_iso());
  q.bind(8, id);
  q.exec();
}

std::optional<SessionRecord> SessionStore::find(const std::string& id) const {
  SQLite::Statement q(*db_, fmt::format("SELECT {} FROM backtest_sessions WHERE session_id=?", kColumns));
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return read_row(q);
}

std::vector<SessionRecord> SessionStore::list() const {
  SQLite::Statement q(*db_, fmt::format("SELECT {} FROM backtest_sessions ORDER BY session_id", kColumns));
  std::vector<SessionRecord> out;
  while (q.executeStep()) out.push_back(read_row(q));
  return out;
}

std::vector<SessionRecord> SessionStore::with_status(SessionStatus s) const {
  SQLite::Statement q(*db_, fmt::format("SELECT {} FROM backtest_sessions WHERE status=? ORDER BY session_id",
                                        kColumns));
  q.bind(1, to_string(s));
  std::vector<SessionRecord> out;
  while (q.executeStep()) out.push_back(read_row(q));
  return out;
}

}  // namespace qtrader::serve
