// Every run ends with a status that tells the truth (issue #14, "runs whose
// status is false"): SIGINT/SIGTERM stop it as `interrupted` with whole CSV
// rows and exit 130, a failure records how far it got, and a run whose process
// was killed shows as `died` in `qtrader runs`.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>

#include "shell_command.hpp"
#include "signalled_run.hpp"
#include "temp_dir.hpp"
#include "file_text.hpp"

namespace fs = std::filesystem;
using qtrader::test::TempDir;

using qtrader::test::file_text;

namespace {

const std::string kCli = std::string(QTRADER_FIXTURES_DIR) + "/cli/";

fs::path run_folder(const fs::path& out) {
  for (const auto& e : fs::recursive_directory_iterator(out))
    if (e.path().filename() == "events.sqlite") return e.path().parent_path();
  FAIL("no run folder under " << out);
  return {};
}

// Every row of a CSV file is whole: it ends in a newline and has the header's field count.
void check_whole_rows(const fs::path& csv) {
  INFO(csv);
  const std::string text = file_text(csv);
  REQUIRE(!text.empty());
  CHECK(text.back() == '\n');
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  const auto fields = std::count(line.begin(), line.end(), ',');
  while (std::getline(lines, line)) CHECK(std::count(line.begin(), line.end(), ',') == fields);
}

}  // namespace

TEST_CASE("lifecycle: SIGINT and SIGTERM stop a run as interrupted, rows whole, exit 130",
          "[cli][lifecycle][hardening]") {
  for (const int sig : {SIGINT, SIGTERM}) {
    INFO("signal " << sig);
    const TempDir out("interrupted");
    CHECK(qtrader::test::run_slow_and_signal(out.path(), sig) == 130);
    const fs::path dir = run_folder(out.path());
    SQLite::Database db((dir / "events.sqlite").string(), SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT status, progress, bars, message, wall_end FROM runs");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "interrupted");
    CHECK(q.getColumn(1).getDouble() > 0);
    CHECK(q.getColumn(2).getInt64() > 0);
    CHECK_THAT(q.getColumn(3).getString(), Catch::StartsWith("interrupted before "));
    CHECK_FALSE(q.getColumn(4).isNull());
    // The equity rows stop at the last whole timestamp; the bars table agrees.
    check_whole_rows(dir / "equity.csv");
    check_whole_rows(dir / "fills.csv");
    const auto listed = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " runs " + out.str());
    CHECK_THAT(listed.out, Catch::Contains("interrupted"));
  }
}

TEST_CASE("lifecycle: a run that fails mid-way records its progress and bars", "[cli][lifecycle][hardening]") {
  const TempDir out("failed-progress");
  const auto r = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " run " + kCli +
                                          "script_error.yaml --system " + kCli + "system.yaml --output " +
                                          out.str() + " --quiet 2>/dev/null");
  CHECK(r.status == 1);
  SQLite::Database db((run_folder(out.path()) / "events.sqlite").string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT status, progress, bars, sim_time FROM runs");
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getString() == "failed");
  // fails_on_bar.lua fails in its 40th on_bar (2000-02-29, the 40th ORCL bar
  // of 2000): 40 bars were read, and the last timestamp valued whole is the 39th.
  CHECK(q.getColumn(2).getInt64() == 40);
  CHECK(q.getColumn(1).getDouble() > 0);
  CHECK(q.getColumn(3).getString() == "2000-02-28");
}

TEST_CASE("lifecycle: a run whose process was killed shows as died in qtrader runs",
          "[cli][lifecycle][hardening]") {
  const TempDir out("died");
  CHECK(qtrader::test::run_slow_and_signal(out.path(), SIGKILL) == -SIGKILL);
  // Killed mid-row maybe, but never under a results file's own name.
  const fs::path dir = run_folder(out.path());
  CHECK(fs::exists(dir / "equity.csv.partial"));
  CHECK_FALSE(fs::exists(dir / "equity.csv"));
  CHECK_FALSE(fs::exists(dir / "fills.csv"));
  const auto listed = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " runs " + out.str());
  CHECK(listed.status == 0);
  CHECK_THAT(listed.out, Catch::Contains("  died  "));
}

// A full disk, made with a 300 KB tmpfs in a private mount namespace (where
// the machine allows unprivileged ones; elsewhere the test says so and stops).
TEST_CASE("lifecycle: a full disk fails the run naming the file, nothing reported complete",
          "[cli][lifecycle][hardening]") {
  const TempDir mnt("full-disk");
  const std::string script = "mount -t tmpfs -o size=300k tmpfs " + mnt.str() + " || exit 99; " +
                             QTRADER_BINARY + " run " + std::string(QTRADER_FIXTURES_DIR) +
                             "/golden/orcl.yaml --system " + kCli + "system.yaml --output " + mnt.str() +
                             " --quiet 2>&1; echo \"rc=$?\"; ls " + mnt.str() + "/*";
  const auto r = qtrader::test::run_shell("unshare -rm sh -c '" + script + "' 2>&1");
  if (r.status == 99 || r.out.find("unshare:") != std::string::npos) {
    WARN("no private mount namespace here: " << r.out);
    return;
  }
  INFO(r.out);
  CHECK_THAT(r.out, Catch::Contains("rc=1"));
  CHECK_THAT(r.out, Catch::Contains(": cannot write: No space left on device"));
  CHECK_THAT(r.out, !Catch::Contains("summary.json"));
  CHECK_THAT(r.out, !Catch::Contains("equity.csv\n"));
}

// `qtrader runs` on a read-only file system lists the runs and writes nothing
// (a read-only bind mount in a private mount namespace, where allowed).
TEST_CASE("lifecycle: runs lists the runs of a read-only folder and writes nothing",
          "[cli][lifecycle][hardening]") {
  const TempDir out("read-only");
  const auto made = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " run " +
                                             std::string(QTRADER_FIXTURES_DIR) + "/golden/orcl.yaml --system " +
                                             kCli + "system.yaml --output " + out.str() + " --quiet");
  REQUIRE(made.status == 0);
  const std::string script = "mount --bind " + out.str() + " " + out.str() + " && mount -o remount,ro,bind " +
                             out.str() + " " + out.str() + " || exit 99; " + QTRADER_BINARY + " runs " +
                             out.str() + "; ls " + out.str() + "/*";
  const auto r = qtrader::test::run_shell("unshare -rm sh -c '" + script + "' 2>&1");
  if (r.status == 99 || r.out.find("unshare:") != std::string::npos) {
    WARN("no private mount namespace here: " << r.out);
    return;
  }
  INFO(r.out);
  CHECK_THAT(r.out, Catch::Contains("completed"));
  CHECK_THAT(r.out, Catch::Contains("102302.33"));
  CHECK_THAT(r.out, !Catch::Contains("-shm"));
  CHECK_THAT(r.out, !Catch::Contains("-wal"));
}
