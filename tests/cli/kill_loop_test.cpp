// Crash consistency (issue #14, "systematic defences"): `qtrader run`,
// `qtrader sweep` and `qtrader watch` killed with SIGKILL at many points of
// their lives, from the first instruction to after their end. The points are
// drawn from a fixed seed, as fractions of an uninterrupted run's wall time
// (so they spread over the whole run on a fast or a slow machine). After each
// kill: the run's events.sqlite opens and `qtrader runs --json` shows it as
// `died` (or `completed`, when the kill came after the end), never running;
// every results CSV under its own name is byte for byte the uninterrupted
// run's (only NAME.partial files may be cut); and a rerun into the same
// folder (a `sweep --resume`) gives the uninterrupted results byte for byte.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "shell_command.hpp"
#include "temp_dir.hpp"
#include "file_text.hpp"

namespace fs = std::filesystem;
using qtrader::test::TempDir;

using qtrader::test::file_text;

namespace {

const std::string kFixtures = QTRADER_FIXTURES_DIR;
const std::string kSystem = kFixtures + "/cli/system.yaml";
const std::string kBacktest = kFixtures + "/golden/orcl.yaml";  // ORCL 1995-2014, 5,036 bars

// Starts the binary with these arguments, output to /dev/null.
pid_t spawn(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(QTRADER_BINARY));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(QTRADER_BINARY, argv.data());
    _exit(127);
  }
  return child;
}

// The exit status, or minus the signal that ended it.
int wait_for(pid_t child) {
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Runs to the end; its wall time in seconds.
double timed(const std::vector<std::string>& args) {
  const auto t0 = std::chrono::steady_clock::now();
  REQUIRE(wait_for(spawn(args)) == 0);
  return seconds_since(t0);
}

// Kills the child with SIGKILL `after` seconds from now (at once when it has
// already ended); its exit status as wait_for gives it.
int kill_after(pid_t child, double after) {
  std::this_thread::sleep_for(std::chrono::duration<double>(after));
  ::kill(child, SIGKILL);
  return wait_for(child);
}

// The folders holding a run (an events.sqlite or a results file) under `out`.
std::set<fs::path> run_folders(const fs::path& out) {
  std::set<fs::path> dirs;
  if (!fs::exists(out)) return dirs;
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    const std::string name = e.path().filename().string();
    if (name == "events.sqlite" || name == "run.log" || name.find(".csv") != std::string::npos)
      dirs.insert(e.path().parent_path());
  }
  return dirs;
}

// Every CSV of a folder under its own name, by name.
std::map<std::string, std::string> csv_files(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".csv") files[e.path().filename().string()] = file_text(e.path());
  return files;
}

// The "status" values of `qtrader runs --json out`.
std::vector<std::string> listed_statuses(const fs::path& out) {
  if (!fs::exists(out)) return {};  // killed before it made its --output folder
  const auto r = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " runs --json " + out.string() +
                                          " 2>/dev/null");
  REQUIRE(r.status == 0);
  std::vector<std::string> statuses;
  const std::string key = "\"status\": \"";
  for (std::size_t at = 0; (at = r.out.find(key, at)) != std::string::npos;) {
    at += key.size();
    statuses.push_back(r.out.substr(at, r.out.find('"', at) - at));
  }
  return statuses;
}

// The store of a killed run opens, and holds a runs row when it has the table.
void check_store(const fs::path& dir) {
  const fs::path db_path = dir / "events.sqlite";
  if (!fs::exists(db_path)) return;
  INFO(db_path);
  // Read-write, as the sqlite3 shell or pandas opens it: a store killed with
  // its WAL open needs the WAL recovered on first open, which a read-only
  // connection cannot do ("attempt to write a readonly database"); `qtrader
  // runs` reads such a store as immutable instead.
  SQLite::Database db(db_path.string(), SQLite::OPEN_READWRITE);
  CHECK(db.execAndGet("PRAGMA quick_check").getString() == "ok");
  if (db.tableExists("runs")) CHECK(db.execAndGet("SELECT COUNT(*) FROM runs").getInt() <= 1);
}

// No CSV under its own name differs from the uninterrupted run's.
void check_whole_files(const fs::path& dir, const std::map<std::string, std::string>& reference) {
  for (const auto& [name, text] : csv_files(dir)) {
    INFO(dir / name);
    REQUIRE(reference.count(name) == 1);
    CHECK(text == reference.at(name));
  }
}

struct KillCounts {
  int before_store = 0, died = 0, completed = 0;
};

// After a kill of a run into `out` (its only run): the checks of the file's header.
void check_killed_run(const fs::path& out, int exit_status, const std::map<std::string, std::string>& reference,
                      KillCounts& counts) {
  const auto dirs = run_folders(out);
  REQUIRE(dirs.size() <= 1);
  for (const auto& dir : dirs) {
    check_store(dir);
    check_whole_files(dir, reference);
  }
  const auto statuses = listed_statuses(out);
  REQUIRE(statuses.size() <= 1);
  if (statuses.empty()) {
    ++counts.before_store;  // killed before the store had its runs row
    CHECK(exit_status == -SIGKILL);
  } else if (statuses[0] == "completed") {
    // Its end was recorded (the kill came after it, or while the report was written).
    ++counts.completed;
    const auto files = csv_files(*dirs.begin());
    for (const char* name : {"equity.csv", "fills.csv", "trades.csv", "positions.csv"}) CHECK(files.count(name) == 1);
  } else {
    ++counts.died;
    CHECK(exit_status == -SIGKILL);
    CHECK(statuses[0] == "died");
  }
}

// Reruns into `out` and checks the new folder's CSVs against the reference.
void check_rerun(const fs::path& out, const std::map<std::string, std::string>& reference) {
  const auto before = run_folders(out);
  REQUIRE(wait_for(spawn({"run", kBacktest, "--system", kSystem, "--output", out.string(), "--quiet"})) == 0);
  std::vector<fs::path> fresh;
  for (const auto& d : run_folders(out))
    if (!before.count(d)) fresh.push_back(d);
  REQUIRE(fresh.size() == 1);
  CHECK(csv_files(fresh[0]) == reference);
}

constexpr int kRunKills = 24;
constexpr int kWatchKills = 8;
constexpr int kSweepKills = 10;

}  // namespace

TEST_CASE("kill loop: run killed at 24 points keeps a readable store, a died status, whole CSVs",
          "[cli][lifecycle][hardening][kill]") {
  const TempDir work("kill-run");
  const fs::path ref_out = work / "reference";
  const double wall = timed({"run", kBacktest, "--system", kSystem, "--output", ref_out.string(), "--quiet"});
  REQUIRE(run_folders(ref_out).size() == 1);
  const auto reference = csv_files(*run_folders(ref_out).begin());
  REQUIRE(reference.count("equity.csv") == 1);
  REQUIRE(reference.count("metrics_daily.csv") == 1);

  std::mt19937 rng(14);
  std::uniform_real_distribution<double> point(0.0, 1.2);  // a fifth of the kills after the end
  KillCounts counts;
  for (int i = 0; i < kRunKills; ++i) {
    const double after = point(rng) * wall;
    INFO("kill " << i << " at " << after << " s of " << wall << " s");
    const fs::path out = work / ("killed-" + std::to_string(i));
    const pid_t child = spawn({"run", kBacktest, "--system", kSystem, "--output", out.string(), "--quiet"});
    const int status = kill_after(child, after);
    check_killed_run(out, status, reference, counts);
    check_rerun(out, reference);
  }
  WARN("run kills: " << counts.before_store << " before the store, " << counts.died << " died, "
                     << counts.completed << " after the end");
  CHECK(counts.died > 0);
}

TEST_CASE("kill loop: watch killed at 8 points leaves its run died or completed, CSVs whole",
          "[cli][lifecycle][hardening][kill]") {
  const TempDir work("kill-watch");
  const fs::path ref_out = work / "reference";
  REQUIRE(wait_for(spawn({"run", kBacktest, "--system", kSystem, "--output", ref_out.string(), "--quiet"})) == 0);
  const auto reference = csv_files(*run_folders(ref_out).begin());
  // watch's first run, timed by the appearance of its summary.
  const fs::path timing = work / "timing";
  const auto t0 = std::chrono::steady_clock::now();
  const pid_t first = spawn({"watch", kBacktest, "--system", kSystem, "--output", timing.string()});
  double wall = 0;
  for (int i = 0; i < 3000 && wall == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    for (const auto& d : run_folders(timing))
      if (fs::exists(d / "summary.json")) wall = seconds_since(t0);
  }
  ::kill(first, SIGKILL);
  wait_for(first);
  REQUIRE(wall > 0);

  std::mt19937 rng(1414);
  std::uniform_real_distribution<double> point(0.0, 1.2);
  KillCounts counts;
  for (int i = 0; i < kWatchKills; ++i) {
    const double after = point(rng) * wall;
    INFO("kill " << i << " at " << after << " s of " << wall << " s");
    const fs::path out = work / ("killed-" + std::to_string(i));
    const pid_t child = spawn({"watch", kBacktest, "--system", kSystem, "--output", out.string()});
    const int status = kill_after(child, after);
    CHECK(status == -SIGKILL);  // watch never ends by itself
    // A finished run of a killed watch is completed; an unfinished one died.
    const auto dirs = run_folders(out);
    REQUIRE(dirs.size() <= 1);
    for (const auto& dir : dirs) {
      check_store(dir);
      check_whole_files(dir, reference);
    }
    for (const auto& s : listed_statuses(out)) {
      CHECK((s == "died" || s == "completed"));
      ++(s == "died" ? counts.died : counts.completed);
    }
    check_rerun(out, reference);
  }
  WARN("watch kills: " << counts.died << " died, " << counts.completed << " completed");
}

TEST_CASE("kill loop: sweep killed at 10 points resumes to the uninterrupted sweep.csv byte for byte",
          "[cli][lifecycle][hardening][kill]") {
  const TempDir work("kill-sweep");
  const std::string backtest = std::string(QTRADER_SOURCE_DIR) + "/tests/sweep/orcl.yaml";
  const auto sweep_args = [&](const fs::path& out) {
    return std::vector<std::string>{"sweep", backtest,   "--system", kSystem, "--param", "fast=5,10",
                                    "--param", "slow=30:40:10", "--jobs", "2", "--quiet", "--output",
                                    out.string()};
  };
  const fs::path full = work / "full";
  const double wall = timed(sweep_args(full));
  const std::string full_csv = file_text(full / "sweep.csv");
  std::vector<std::string> full_rows;
  {
    std::istringstream in(full_csv);
    for (std::string line; std::getline(in, line);) full_rows.push_back(line + "\n");
  }
  REQUIRE(full_rows.size() == 5);

  std::mt19937 rng(141414);
  std::uniform_real_distribution<double> point(0.0, 1.2);
  for (int i = 0; i < kSweepKills; ++i) {
    const double after = point(rng) * wall;
    INFO("kill " << i << " at " << after << " s of " << wall << " s");
    const fs::path out = work / ("killed-" + std::to_string(i));
    const int status = kill_after(spawn(sweep_args(out)), after);
    CHECK((status == -SIGKILL || status == 0));
    if (fs::exists(out / "sweep.sqlite")) {
      // Read-write, as the resume below opens it: a kill while the store was
      // being created (before WAL) leaves a hot rollback journal that only a
      // writer may roll back ("attempt to write a readonly database").
      SQLite::Database db((out / "sweep.sqlite").string(), SQLite::OPEN_READWRITE);
      CHECK(db.execAndGet("PRAGMA quick_check").getString() == "ok");
    }
    // sweep.csv grows a whole row at a time: each of its lines is one of the full sweep's.
    if (fs::exists(out / "sweep.csv")) {
      std::istringstream in(file_text(out / "sweep.csv"));
      for (std::string line; std::getline(in, line);) {
        INFO(line);
        CHECK(std::find(full_rows.begin(), full_rows.end(), line + "\n") != full_rows.end());
      }
    }
    // Resumed at once: a killed sweep leaves no worker behind holding its folder.
    std::vector<std::string> resume = sweep_args(out);
    REQUIRE(wait_for(spawn(resume)) == 0);
    CHECK(file_text(out / "sweep.csv") == full_csv);
    for (const auto& e : fs::directory_iterator(full / "points")) {
      INFO(e.path().filename());
      CHECK(csv_files(out / "points" / e.path().filename()) == csv_files(e.path()));
    }
  }
}
