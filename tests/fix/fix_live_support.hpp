// What the tests of `qtrader live` against the FIX venue share: the session
// files (a backtest of sma_crossover on ORCL with a `live:` section naming
// the venue), the command line, a session started as a child process, and
// reads of live_state.sqlite.
#pragma once

#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "child_process.hpp"
#include "fix_test_support.hpp"

namespace qtrader::test {

inline std::filesystem::path only_folder_in(const std::filesystem::path& out) {
  std::vector<std::filesystem::path> found;
  for (const auto& e : std::filesystem::directory_iterator(out)) found.push_back(e.path());
  REQUIRE(found.size() == 1);
  return found[0];
}

inline void write_text(const std::filesystem::path& file, const std::string& text) { std::ofstream(file) << text; }

inline std::string fix_session_yaml(int port, const char* sender, const char* store, const std::string& extra = "") {
  return fmt::format("{{kind: fix, port: {}, sender_comp_id: {}, target_comp_id: VENUE, heartbeat: 1, "
                     "reconnect_interval: 1, logon_timeout: 5, store: {}{}}}",
                     port, sender, store, extra);
}

// dir/orcl.yaml (its live: section: the venue's feed and broker, then
// `live_extra` lines), dir/system.yaml, dir/data_sources.yaml.
inline void write_fix_session_files(const std::filesystem::path& dir, int port, const std::string& live_extra = "",
                                    const std::string& broker_extra = "") {
  write_text(dir / "data_sources.yaml", "sources:\n  fix_sample:\n    adapter: csv\n    path: " +
                                            fix_fixture("live") +
                                            "\n    layout: yahoo\n    price_mode: raw\n    timezone: UTC\n");
  std::ifstream system_in(std::string(QTRADER_FIXTURES_DIR) + "/live/system.yaml");
  write_text(dir / "system.yaml", std::string((std::istreambuf_iterator<char>(system_in)), {}));
  write_text(dir / "orcl.yaml",
             "start_date: 2009-01-02\nend_date: 2009-08-31\ninitial_equity: 100000\n"
             "data:\n  sources:\n    - name: fix_sample\n      universe: [ORCL]\n"
             "strategies:\n  - strategy_id: sma_crossover\n    universe: [ORCL]\n    config: {fast: 10, slow: 30}\n"
             "risk_policy:\n  name: fixed_quantity\n  config: {quantity: 100}\n"
             "live:\n  feed: " + fix_session_yaml(port, "QTRADER-MD", "fix-feed") +
             "\n  broker: " + fix_session_yaml(port, "QTRADER", "fix-broker", broker_extra) +
             "\n  on_stop: cancel\n" + live_extra);
}

// "qtrader COMMAND dir/orcl.yaml --system dir/system.yaml ARGS"
inline std::string fix_session_command(const std::filesystem::path& dir, const std::string& command,
                                       const std::string& args) {
  return std::string(QTRADER_BINARY) + " " + command + " " + (dir / "orcl.yaml").string() + " --system " +
         (dir / "system.yaml").string() + " " + args;
}

// `qtrader live dir/orcl.yaml --output OUT -q` as a child the test kills.
inline pid_t start_fix_session(const std::filesystem::path& dir, const std::filesystem::path& out) {
  const SpawnedChild child =
      spawn_child({QTRADER_BINARY, "live", (dir / "orcl.yaml").string(), "--system", (dir / "system.yaml").string(),
                   "--output", out.string(), "-q"},
                  (dir / "live-stderr.log").string());
  return child.pid;  // its stdout pipe stays open until the test ends: a write never meets a closed pipe
}

// `qtrader live dir/orcl.yaml --resume SESSION -q` as a child the test kills.
inline pid_t resume_fix_session(const std::filesystem::path& dir, const std::filesystem::path& session) {
  return spawn_child({QTRADER_BINARY, "live", (dir / "orcl.yaml").string(), "--system", (dir / "system.yaml").string(),
                      "--resume", session.string(), "-q"},
                     (dir / "live-stderr.log").string())
      .pid;
}

inline void kill_hard(pid_t pid) {
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  REQUIRE(WIFSIGNALED(status));
}

inline std::int64_t sql_count(const std::filesystem::path& db, const std::string& sql) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  return d.execAndGet(sql).getInt64();
}

// The first column of each row, one per line.
inline std::string sql_lines(const std::filesystem::path& db, const std::string& sql) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(d, sql);
  std::string out;
  while (q.executeStep()) out += q.getColumn(0).getString() + "\n";
  return out;
}

// Waits until the session under `out` has committed an order it sent (or
// is about to send: the row is committed first) that is not filled; its
// client order id. Its acceptance is seldom committed on its own: the
// venue's New and its fill on the next bar mostly reach the engine together.
inline std::string wait_for_working_order(const std::filesystem::path& out) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (!std::filesystem::exists(out)) continue;
    for (const auto& e : std::filesystem::directory_iterator(out)) {
      const auto state = e.path() / "live_state.sqlite";
      if (!std::filesystem::exists(state)) continue;
      try {
        const std::string id = sql_lines(state, "SELECT client_order_id FROM orders WHERE status IN ('new', 'accepted')");
        if (!id.empty()) return id.substr(0, id.size() - 1);
      } catch (const SQLite::Exception&) {  // the tables are being made
      }
    }
  }
  FAIL("no working order within 30 s");
  return {};
}

struct Crashed {
  std::filesystem::path session;  // the session's folder
  std::string working;            // the order working when it was killed
  std::int64_t events = 0;        // live_events.seq before the resume the test makes
};

// Starts the session, kills it (SIGKILL) once its committed state holds an
// order sent and not filled, and returns its folder and that order. When the
// fill got committed between the look and the kill (a loaded machine), the
// session is resumed and killed again at its next order.
// The kill may also land between the order's commit and its send: then
// `at_venue` (the venue's orders.csv has it) is false, and so again. `events`
// is the last live_events seq before the last resume: what the test reads.
inline Crashed crash_with_working_order(const std::filesystem::path& dir, const std::filesystem::path& out,
                                        const VenueProcess& venue) {
  pid_t live = start_fix_session(dir, out);
  for (int attempt = 0;; ++attempt) {
    const std::string working = wait_for_working_order(out);
    kill_hard(live);
    const auto session = only_folder_in(out);
    const bool at_venue = eventually(
        [&] {
          for (const auto& row : csv_rows(venue.store() + "/orders.csv"))
            if (row.at(0) == working) return true;
          return false;
        },
        std::chrono::milliseconds(500));
    const auto state = session / "live_state.sqlite";
    if (at_venue && sql_count(state, "SELECT COUNT(*) FROM orders WHERE status IN ('new', 'accepted')") == 1)
      return {session, working, sql_count(state, "SELECT COALESCE(MAX(seq), 0) FROM live_events")};
    REQUIRE(attempt < 3);
    live = resume_fix_session(dir, session);
  }
}

}  // namespace qtrader::test
