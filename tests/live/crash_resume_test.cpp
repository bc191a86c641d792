// kill -9 of a paper session with a working order, then `--resume`: the
// state comes back, reconciles, nothing is sent twice, and the session ends
// with the backtest's fills byte for byte.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "file_text.hpp"
#include "live_cli_support.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace qtrader::test;
namespace fs = std::filesystem;

namespace {

std::int64_t count(const fs::path& db, const std::string& sql) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  return d.execAndGet(sql).getInt64();
}

std::string text(const fs::path& db, const std::string& sql) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(d, sql);
  std::string out;
  while (q.executeStep()) out += q.getColumn(0).getString() + "\n";
  return out;
}

// The committed state has a working order: the time between an order's
// acceptance and its fill at the next bar is 50 ms of wall time or more at
// this speed (a day of bars per 50 ms).
void wait_for_working_order(const fs::path& out) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (!fs::exists(out)) continue;
    for (const auto& e : fs::directory_iterator(out)) {
      const fs::path state = e.path() / "live_state.sqlite";
      if (!fs::exists(state)) continue;
      try {
        if (count(state, "SELECT COUNT(*) FROM orders WHERE status = 'accepted'") > 0) return;
      } catch (const SQLite::Exception&) {  // the tables are being made
      }
    }
  }
  FAIL("no working order within 30 s");
}

}  // namespace

TEST_CASE("kill -9 with a working order then --resume: broker state reconciled and no order sent twice",
          "[live][crash]") {
  TempDir tmp("crash");
  REQUIRE(run_shell(live_command("run", "orcl_paper.yaml", (tmp / "run").string(), "-q")).status == 0);

  const std::string out = (tmp / "paper").string(), file = live_fixture("orcl_paper.yaml"),
                    system = live_fixture("system.yaml");
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    execl(QTRADER_BINARY, QTRADER_BINARY, "paper", file.c_str(), "--system", system.c_str(), "--output",
          out.c_str(), "--speed", "1728000", "-q", static_cast<char*>(nullptr));
    _exit(127);
  }
  wait_for_working_order(out);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFSIGNALED(status));

  const fs::path dir = only_run_in(tmp / "paper"), state = dir / "live_state.sqlite";
  const std::int64_t working = count(state, "SELECT COUNT(*) FROM orders WHERE status = 'accepted'");
  const std::int64_t positions = count(state, "SELECT COUNT(*) FROM positions");
  const std::int64_t sent = count(state, "SELECT COUNT(*) FROM sends");
  CHECK(working == 1);
  CHECK(sent >= 1);

  const auto resumed = run_shell_captured(live_command("paper", "orcl_paper.yaml", out,
                                                       "--resume " + dir.string() + " --speed max -q"));
  INFO(resumed.err);
  REQUIRE(resumed.status == 0);
  CHECK(resumed.out == dir.string() + "\n");
  // The journal's replay rebuilt the paper book as it was committed: the
  // positions and the working order the state holds.
  CHECK(text(state, "SELECT text FROM live_events WHERE type = 'reconciliation'") ==
        fmt::format("state matches the broker: {} positions, {} working orders\n", positions, working));
  CHECK(text(state, "SELECT substr(text, instr(text, ';') + 2) FROM live_events WHERE type = 'resume'") ==
        "0 orders sent again (must be 0)\n");
  // Each client order id went to the broker once, across both processes.
  CHECK(count(state, "SELECT COUNT(*) FROM sends") == 195);
  CHECK(count(state, "SELECT COUNT(DISTINCT client_order_id) FROM sends") == 195);
  // ... and the session's results are the uninterrupted backtest's.
  const fs::path run_dir = only_run_in(tmp / "run");
  for (const char* f : {"fills.csv", "trades.csv", "equity.csv"}) {
    INFO(f);
    CHECK(file_text(dir / f) == file_text(run_dir / f));
  }
  CHECK(text(dir / "events.sqlite", "SELECT status FROM runs") == "completed\n");
}
