// qtrader runs [DIR]: the runs under a results folder, newest first, with
// their status and headline figures.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "qtrader/process_identity.hpp"

namespace qtrader::cli {

namespace {

namespace fs = std::filesystem;

// A figure a run may not have (no summary.json yet, a failed run): null in
// JSON, "-" in the table.
using Figure = std::optional<double>;

struct RunRow {
  std::string dir, id, status, wall_start, message;
  std::string version, commit;  // the engine that ran it; empty for runs made before 0.2.0
  double progress = 0;
  Figure trades, final_equity, total_return, sharpe;
};

Figure number_at(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return std::nullopt;
  return j[key].get<double>();
}

std::string shown(const Figure& f, const char* fmt_spec, double scale = 1.0) {
  return f ? fmt::format(fmt::runtime(fmt_spec), *f * scale) : std::string("-");
}

// Read-only; on a read-only or full file system a read-only open of a WAL
// database fails at its first read (it would create -shm), so the store is
// then read as immutable (a run still writing it is read as of its last
// checkpoint) and listing never writes into a run folder.
std::unique_ptr<SQLite::Database> open_run_store(const fs::path& db_path, bool immutable) {
  if (!immutable) return std::make_unique<SQLite::Database>(db_path.string(), SQLite::OPEN_READONLY);
  return std::make_unique<SQLite::Database>("file:" + db_path.string() + "?immutable=1",
                                            SQLite::OPEN_READONLY | SQLite::OPEN_URI);
}

// A run still `started` or `running` whose process is gone (killed, machine
// restarted) is shown as `died`: the row cannot say so itself.
std::string truthful_status(SQLite::Database& db, const std::string& status) {
  if (status != "started" && status != "running") return status;
  const bool has_pid = db.execAndGet("SELECT COUNT(*) FROM pragma_table_info('runs') WHERE name = 'pid'")
                           .getInt() > 0;
  if (!has_pid) return status;
  SQLite::Statement q(db, "SELECT COALESCE(pid, 0), COALESCE(pid_start, '') FROM runs");
  if (!q.executeStep()) return status;
  const ProcessIdentity who{q.getColumn(0).getInt64(), q.getColumn(1).getString()};
  return who.pid == 0 || process_alive(who) ? status : "died";
}

// A runs row and what summary.json / metrics.json say, when they exist.
bool read_run_row(const fs::path& db_path, RunRow& row, bool immutable) {
  try {
    const auto db = open_run_store(db_path, immutable);
    if (!db->tableExists("runs")) return false;
    SQLite::Statement q(*db, "SELECT id, status, progress, wall_start, COALESCE(message, '') FROM runs");
    if (!q.executeStep()) return false;
    row.dir = db_path.parent_path().string();
    row.id = q.getColumn(0).getString();
    row.status = q.getColumn(1).getString();
    row.progress = q.getColumn(2).getDouble();
    row.wall_start = q.getColumn(3).getString();
    row.message = q.getColumn(4).getString();
    row.status = truthful_status(*db, row.status);
    if (db->execAndGet("SELECT COUNT(*) FROM pragma_table_info('runs') WHERE name = 'qtrader_commit'").getInt() > 0) {
      SQLite::Statement v(*db, "SELECT COALESCE(qtrader_version, ''), COALESCE(qtrader_commit, '') FROM runs");
      if (v.executeStep()) {
        row.version = v.getColumn(0).getString();
        row.commit = v.getColumn(1).getString();
      }
    }
  } catch (const SQLite::Exception&) {
    return false;
  }
  return true;
}

bool read_run(const fs::path& db_path, RunRow& row) {
  if (!read_run_row(db_path, row, false) && !read_run_row(db_path, row, true)) return false;
  if (std::ifstream in(db_path.parent_path() / "summary.json"); in) {
    const auto s = nlohmann::json::parse(in, nullptr, false);
    if (!s.is_discarded()) {
      row.trades = number_at(s, "trades");
      row.final_equity = number_at(s, "final_equity");
    }
  }
  if (std::ifstream in(db_path.parent_path() / "metrics.json"); in) {
    const auto m = nlohmann::json::parse(in, nullptr, false);
    if (!m.is_discarded()) {
      const auto& p = m.contains("portfolio") ? m["portfolio"] : m;
      row.total_return = number_at(p, "total_return");
      row.sharpe = number_at(p, "sharpe");
    }
  }
  return true;
}

// `runs --json`: one object per run, newest first; figures a run lacks are null.
void print_json(const std::vector<RunRow>& rows) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  const auto figure = [](const Figure& f) { return f ? nlohmann::ordered_json(*f) : nlohmann::ordered_json(); };
  const auto text_or_null = [](const std::string& t) {
    return t.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(t);
  };
  for (const auto& r : rows)
    out.push_back({{"folder", r.dir},
                   {"id", r.id},
                   {"started", r.wall_start},
                   {"status", r.status},
                   {"progress", r.progress},
                   {"message", text_or_null(r.message)},
                   {"trades", r.trades ? nlohmann::ordered_json(static_cast<long>(*r.trades))
                                       : nlohmann::ordered_json()},
                   {"final_equity", figure(r.final_equity)},
                   {"total_return", figure(r.total_return)},
                   {"sharpe", figure(r.sharpe)},
                   {"qtrader_version", text_or_null(r.version)},
                   {"qtrader_commit", text_or_null(r.commit)}});
  fmt::print("{}\n", out.dump(2));
}

int list_runs(const std::string& dir, bool json) {
  if (!fs::is_directory(dir)) {
    fmt::print(stderr, "error: {}: not a folder\n", dir);
    return 2;
  }
  std::vector<RunRow> rows;
  for (const auto& e : fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied)) {
    RunRow row;
    if (e.path().filename() == "events.sqlite" && read_run(e.path(), row)) rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), [](const RunRow& a, const RunRow& b) {
    return std::tie(a.wall_start, a.dir) > std::tie(b.wall_start, b.dir);
  });
  if (json) {
    print_json(rows);
    return 0;
  }
  fmt::print("{:<19}  {:<11}  {:>6}  {:>7}  {:>14}  {:>9}  {:>6}  {}\n", "started", "status", "done",
             "trades", "final equity", "return", "sharpe", "folder");
  for (const auto& r : rows) {
    fmt::print("{:<19}  {:<11}  {:>5.1f}%  {:>7}  {:>14}  {:>9}  {:>6}  {}\n", r.wall_start, r.status,
               r.progress, shown(r.trades, "{:.0f}"), shown(r.final_equity, "{:.2f}"),
               shown(r.total_return, "{:.2f}%", 100.0), shown(r.sharpe, "{:.2f}"), r.dir);
    if ((r.status == "failed" || r.status == "interrupted") && !r.message.empty())
      fmt::print("    {}\n", r.message.substr(0, 200));
  }
  if (rows.empty()) fmt::print("(no runs under {})\n", dir);
  return 0;
}

}  // namespace

void add_runs_command(CLI::App& app, int& exit_code) {
  auto dir = std::make_shared<std::string>("results");
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("runs", "List the runs under a results folder, newest first");
  cmd->add_option("dir", *dir, "Results folder (default: results)");
  cmd->add_flag("--json", *json,
                "Print a JSON array: folder, id, started, status, progress, message, trades, "
                "final_equity, total_return (a fraction), sharpe; null where a run has no figure");
  cmd->callback([dir, json, &exit_code] { exit_code = list_runs(*dir, *json); });
}

}  // namespace qtrader::cli
