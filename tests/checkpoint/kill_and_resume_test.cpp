// qtrader resume (docs/checkpoints.md) with the real binary: a run with
// checkpoint_every killed with SIGKILL at pseudo-random points, each time
// resumed, finishes with files byte-identical to a run never interrupted, in
// the compact event-store form (the default) and the full one; and the runs
// that cannot be resumed are refused, each with its reason.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include "child_process.hpp"
#include "file_text.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

using namespace qtrader::test;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = std::string(QTRADER_FIXTURES_DIR) + "/checkpoint";

std::vector<std::string> run_args(const fs::path& backtest_dir, const fs::path& out,
                                  const std::string& system = "system.yaml") {
  return {QTRADER_BINARY,
          "run",
          (backtest_dir / "backtest.yaml").string(),
          "--system",
          (backtest_dir / system).string(),
          "--output",
          out.string(),
          "--quiet"};
}

std::vector<std::string> resume_args(const fs::path& run) {
  return {QTRADER_BINARY, "resume", run.string(), "--quiet"};
}

// The exit status, or minus the signal that ended it.
int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

// Reads the child's stdout to its end (a closed pipe would kill it with
// SIGPIPE when it prints its results folder).
void drain(int fd) {
  char buf[4096];
  while (read(fd, buf, sizeof buf) > 0) {
  }
  close(fd);
}

int run_to_end(const std::vector<std::string>& args, const fs::path& log) {
  const SpawnedChild child = spawn_child(args, log.string());
  drain(child.stdout_fd);
  return wait_for(child.pid);
}

// The seq of the run's checkpoint; 0 while it has none (or the file is not there yet).
std::uint64_t checkpoint_seq(const fs::path& run) {
  try {
    SQLite::Database db((run / "events.sqlite").string(), SQLite::OPEN_READONLY);
    if (!db.tableExists("checkpoints")) return 0;
    SQLite::Statement q(db, "SELECT MAX(seq) FROM checkpoints");
    return q.executeStep() && !q.getColumn(0).isNull() ? static_cast<std::uint64_t>(q.getColumn(0).getInt64())
                                                       : 0;
  } catch (const SQLite::Exception&) {
    return 0;  // not created yet, or busy for a moment
  }
}

// Starts `args`, lets the run write `checkpoints` more checkpoints past `after`
// and a few milliseconds more, and kills it with SIGKILL. The seq of the last
// checkpoint seen before the kill.
std::uint64_t kill_after(const std::vector<std::string>& args, const fs::path& run, const fs::path& log,
                         std::uint64_t after, int checkpoints, int extra_ms) {
  const SpawnedChild child = spawn_child(args, log.string());
  std::uint64_t seen = after;
  int changes = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (changes < checkpoints && std::chrono::steady_clock::now() < deadline) {
    const std::uint64_t now = checkpoint_seq(run);
    if (now > seen) {
      seen = now;
      ++changes;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(extra_ms));
  kill(child.pid, SIGKILL);
  const int status = wait_for(child.pid);
  close(child.stdout_fd);
  INFO(file_text(log));  // why it ended, when it ended by itself
  REQUIRE(status == -SIGKILL);  // killed mid-run, not finished
  return seen;
}

std::string events_of(const fs::path& run) {
  const auto r = run_shell(std::string(QTRADER_BINARY) + " events " + run.string() + " --format jsonl");
  REQUIRE(r.status == 0);
  return r.out;
}

// The compact form's bar references (sqlite_bar_refs.hpp), one line a symbol.
std::string bar_sources_of(const fs::path& run) {
  SQLite::Database db((run / "events.sqlite").string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT symbol, n, first_ts, last_ts, check_hash FROM bar_sources ORDER BY symbol_id");
  std::string out;
  while (q.executeStep())
    out += q.getColumn(0).getString() + " " + q.getColumn(1).getString() + " " + q.getColumn(2).getString() + " " +
           q.getColumn(3).getString() + " " + q.getColumn(4).getString() + "\n";
  return out;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

const std::vector<std::string> kResultFiles = {"fills.csv",    "equity.csv",       "positions.csv",
                                               "records.csv",  "trades.csv",       "summary.json",
                                               "metrics.json", "metrics_daily.csv"};


// Kills a run of `system` at pseudo-random points `kills` times, resuming
// it each time, then lets the last resume finish.
void kill_and_resume(const TempDir& tmp, const fs::path& killed, const std::string& system, int kills,
                     std::mt19937& rng) {
  fs::create_directories(killed.parent_path());
  std::uniform_int_distribution<int> checkpoints(1, 6), extra_ms(0, 39);
  const fs::path log = tmp / (killed.parent_path().filename().string() + ".log");
  std::uint64_t seq = kill_after(run_args(kFixtures, killed, system), killed, log, 0, checkpoints(rng), extra_ms(rng));
  REQUIRE(seq > 0);
  for (int k = 1; k < kills; ++k) {
    const std::uint64_t next = kill_after(resume_args(killed), killed, log, seq, checkpoints(rng), extra_ms(rng));
    CHECK(next > seq);  // each resume got further before it was killed
    seq = next;
  }
  INFO(file_text(log));
  REQUIRE(run_to_end(resume_args(killed), log) == 0);
}

void check_same_results(const fs::path& killed, const fs::path& whole, const std::string& whole_events) {
  for (const std::string& name : kResultFiles) {
    INFO(killed.string() << ": " << name);
    REQUIRE(fs::exists(killed / name));
    CHECK(file_text(killed / name) == file_text(whole / name));
  }
  for (const auto& e : fs::directory_iterator(killed)) {
    const std::string ext = e.path().extension().string();
    CHECK(ext != ".partial");
    CHECK(ext != ".resume");
  }
  CHECK(events_of(killed) == whole_events);
}

}  // namespace

// The fixture's strategies and its risk policy keep their state in ctx.state;
// every checkpoint's timestamp leaves risk signals over for the next, and a
// model signal's embargo window closed before the first: a resume that lost
// any of these would differ (docs/checkpoints.md).
TEST_CASE("resume: runs killed in either event-store form finish byte-identical to one never killed",
          "[checkpoint][cli]") {
  TempDir tmp("checkpoint");
  const fs::path whole = tmp / "whole" / "run";
  fs::create_directories(whole.parent_path());
  REQUIRE(run_to_end(run_args(kFixtures, whole), tmp / "whole.log") == 0);
  const std::string events = events_of(whole);
  CHECK(lines_of(events).size() > 10000);
  const std::string records = file_text(whole / "records.csv");
  CHECK(records.find(",model,") != std::string::npos);

  std::mt19937 rng(20261203);  // seeded: the same kill points on every run of the test
  const fs::path compact = tmp / "compact" / "run";
  kill_and_resume(tmp, compact, "system.yaml", 3, rng);
  check_same_results(compact, whole, events);
  // The bars kept by reference: counted and hashed from the run's start.
  CHECK(bar_sources_of(compact) == bar_sources_of(whole));
  CHECK(count_of(bar_sources_of(whole), "\n") == 3);
  // The risk policy was told of each of the three resumes (their stderr, appended).
  CHECK(count_of(file_text(tmp / "compact.log"), "state_risk resumed after ") == 3);

  // The full form (summary.json names the system file by its hash): a run of its own.
  const fs::path whole_full = tmp / "whole_full" / "run", full = tmp / "full" / "run";
  fs::create_directories(whole_full.parent_path());
  REQUIRE(run_to_end(run_args(kFixtures, whole_full, "system_full.yaml"), tmp / "whole_full.log") == 0);
  kill_and_resume(tmp, full, "system_full.yaml", 1, rng);
  check_same_results(full, whole_full, events_of(whole_full));
  {
    SQLite::Database db((full / "events.sqlite").string(), SQLite::OPEN_READONLY);
    CHECK_FALSE(db.tableExists("bar_sources"));  // the full form copies its bars
  }

  // The resumed run is complete, and says so: a further resume is refused.
  const auto again = run_shell_captured(std::string(QTRADER_BINARY) + " resume " + compact.string());
  CHECK(again.status == 1);
  CHECK(again.err == "error: " + compact.string() + ": the run is already completed: nothing to resume\n");
}

TEST_CASE("resume: another connection holding events.sqlite for a moment delays the run and fails nothing",
          "[checkpoint][cli]") {
  TempDir tmp("checkpoint-locked");
  const fs::path run = tmp / "out" / "run";
  fs::create_directories(run.parent_path());
  kill_after(run_args(kFixtures, run), run, tmp / "run.log", 0, 1, 0);
  // A reader recovering the WAL after the kill, or a tool writing to the file,
  // holds its lock for a moment: the resumed run waits for it.
  SQLite::Database other((run / "events.sqlite").string(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  const SpawnedChild child = spawn_child(resume_args(run), (tmp / "run.log").string());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  other.exec("ROLLBACK");
  drain(child.stdout_fd);
  const int status = wait_for(child.pid);
  INFO(file_text(tmp / "run.log"));
  CHECK(status == 0);
}

TEST_CASE("resume: a run whose script changed since its checkpoint is refused", "[checkpoint][cli]") {
  TempDir tmp("checkpoint-changed");
  const fs::path fixtures = tmp / "fixtures";
  fs::create_directories(fixtures);
  for (const auto& e : fs::directory_iterator(kFixtures)) fs::copy(e.path(), fixtures / e.path().filename());
  // The copy's data_sources.yaml finds data/sample and the actions from the source tree.
  std::string sources = file_text(fixtures / "data_sources.yaml");
  for (const std::string from : {"../../../data/sample", "../execution/corporate_actions.csv"}) {
    const auto at = sources.find(from);
    REQUIRE(at != std::string::npos);
    sources.replace(at, from.size(), (fs::path(kFixtures) / from).lexically_normal().string());
  }
  { std::ofstream(fixtures / "data_sources.yaml") << sources; }
  const fs::path run = tmp / "out" / "run";
  fs::create_directories(run.parent_path());
  kill_after(run_args(fixtures, run), run, tmp / "run.log", 0, 1, 0);
  { std::ofstream(fixtures / "state_sma.lua", std::ios::app) << "-- changed\n"; }
  const auto r = run_shell_captured(std::string(QTRADER_BINARY) + " resume " + run.string());
  CHECK(r.status == 1);
  CHECK(r.err ==
        "error: cannot resume: the run's inputs changed since its checkpoint (script:state_sma); "
        "rerun it with qtrader run\n");
  CHECK(fs::exists(run / "fills.csv.partial"));  // nothing was touched
}

TEST_CASE("resume: a run without a checkpoint is refused", "[checkpoint][cli]") {
  TempDir tmp("checkpoint-none");
  const fs::path run = tmp / "run";
  fs::create_directories(run);
  {
    SQLite::Database db((run / "events.sqlite").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE runs (id TEXT PRIMARY KEY, status TEXT NOT NULL)");
    db.exec("INSERT INTO runs VALUES ('run', 'running')");
  }
  const auto r = run_shell_captured(std::string(QTRADER_BINARY) + " resume " + run.string());
  CHECK(r.status == 1);
  CHECK(r.err ==
        "error: " + run.string() +
            ": the run has no checkpoint (its backtest has no checkpoint_every, or it stopped before the "
            "first): rerun it with qtrader run\n");
  const fs::path empty = tmp / "empty";
  fs::create_directories(empty);
  const auto none = run_shell_captured(std::string(QTRADER_BINARY) + " resume " + empty.string());
  CHECK(none.status == 1);
  CHECK(none.err == "error: " + empty.string() +
                        ": no events.sqlite: not the folder of a run with output.event_store: sqlite, which "
                        "checkpoints need\n");
}

TEST_CASE("resume: checkpoint_every is a positive integer and needs the sqlite store", "[checkpoint][cli]") {
  TempDir tmp("checkpoint-config");
  const std::string backtest = file_text(fs::path(kFixtures) / "backtest.yaml");
  const auto run_with = [&](const std::string& every, const std::string& system) {
    std::string text = backtest;
    text.replace(text.find("checkpoint_every: 40"), 20, "checkpoint_every: " + every);
    text.replace(text.find("script_paths: [.]"), 17, "script_paths: [" + kFixtures + "]");
    text.replace(text.find("file: model_signals.csv"), 23, "file: " + kFixtures + "/model_signals.csv");
    const fs::path file = tmp / "bt.yaml";
    { std::ofstream(file) << text; }
    return run_shell_captured(std::string(QTRADER_BINARY) + " run " + file.string() + " --system " + system +
                              " --output " + (tmp / "out").string() + " --quiet");
  };
  const std::string system = kFixtures + "/system.yaml";
  const std::string where = (tmp / "bt.yaml").string() + ":12: key 'checkpoint_every': ";
  auto r = run_with("0", system);
  CHECK(r.status == 2);
  CHECK(r.err == "error: " + where + "must be > 0, got '0'\n");
  r = run_with("2.5", system);
  CHECK(r.status == 2);
  CHECK(r.err == "error: " + where + "expected an integer, got '2.5'\n");
  std::string memory = file_text(system);
  memory.replace(memory.find("backend: sqlite"), 15, "backend: memory");
  memory.replace(memory.find("sources_config: data_sources.yaml"), 33,
                 "sources_config: " + kFixtures + "/data_sources.yaml");
  { std::ofstream(tmp / "system.yaml") << memory; }
  r = run_with("40", (tmp / "system.yaml").string());
  CHECK(r.status == 2);
  CHECK(r.err ==
        "error: " + where +
            "needs output.event_store: sqlite (a checkpoint is kept in events.sqlite with the events it "
            "covers, which a resumed run continues)\n");
  CHECK_FALSE(fs::exists(tmp / "out"));  // refused before anything is written
}
