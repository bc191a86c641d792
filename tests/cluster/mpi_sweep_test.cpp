// `mpirun -n 3 qtrader sweep ... --mpi` as a user starts it: the rows equal the
// local sweep's byte for byte, a point whose script fails or times out or
// whose worker is killed costs that point only, an interrupted MPI sweep
// resumes, a killed rank stops the job and the same command finishes it.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "qtrader/sweep.hpp"
#include "shell_command.hpp"
#include "file_text.hpp"

namespace fs = std::filesystem;

using qtrader::test::file_text;

namespace {

using Output = qtrader::test::CommandOutput;
using qtrader::test::lines_of;

const fs::path kWork = qtrader::test::process_temp_dir().path();
const std::string kSweepDir = std::string(QTRADER_SOURCE_DIR) + "/tests/sweep/";
const std::string kSystem = " --system " + std::string(QTRADER_FIXTURES_DIR) + "/cli/system.yaml";

// What mpirun needs in a container: root is refused unless allowed twice,
// 3 ranks on 2 cores need --oversubscribe, and the shared-memory transport
// (vader) between ranks of one host needs no network. A sanitizer build's
// leak check would report Open MPI's own allocations.
const std::string kMpirun =
    "env OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ASAN_OPTIONS=detect_leaks=0 " +
    std::string(QTRADER_MPIEXEC) + " --oversubscribe --mca btl self,vader";

Output shell(const std::string& command) { return qtrader::test::run_shell_captured(command); }

Output cli(const std::string& args) { return shell(std::string(QTRADER_BINARY) + " " + args); }
Output mpi(int ranks, const std::string& args) {
  return shell(kMpirun + " -n " + std::to_string(ranks) + " " + QTRADER_BINARY + " " + args);
}

fs::path fresh(const std::string& name) {
  const fs::path dir = kWork / name;
  fs::remove_all(dir);
  return dir;
}

// 6 points, two of which fail (slow=0 is out of the strategy's range).
const std::string kGrid = " --param fast=5,10 --param slow=0,30,40";
const std::string kOrcl = kSweepDir + "orcl.yaml" + kSystem + kGrid;

const fs::path& local_sweep() {
  static const fs::path dir = [] {
    const fs::path d = fresh("local");
    const auto o = cli("sweep " + kOrcl + " --jobs 2 --quiet --output " + d.string());
    INFO(o.err);
    REQUIRE(o.status == 0);
    return d;
  }();
  return dir;
}

// sweep_results of sweep.sqlite as text, row by row.
std::string results_table(const fs::path& dir) {
  SQLite::Database db((dir / "sweep.sqlite").string());
  SQLite::Statement q(db, "SELECT * FROM sweep_results ORDER BY point");
  std::string out;
  while (q.executeStep()) {
    for (int i = 0; i < q.getColumnCount(); ++i) out += q.getColumn(i).getText() + std::string("|");
    out += "\n";
  }
  return out;
}

// A command started in the background, its stdout and stderr into files.
pid_t spawn(const std::string& command, const fs::path& log) {
  fs::create_directories(kWork);
  std::vector<std::string> args{"/bin/sh", "-c", "exec " + command + " >" + log.string() + " 2>&1"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, "/bin/sh", nullptr, nullptr, argv.data(), environ) == 0);
  return pid;
}

std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  std::istringstream in(
      file_text(fs::path("/proc") / std::to_string(pid) / "task" / std::to_string(pid) / "children"));
  for (pid_t c; in >> c;) out.push_back(c);
  return out;
}

// Waits (up to 10 s) until `ready` holds.
template <class F>
bool eventually(F ready) {
  for (int i = 0; i < 1000; ++i) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

int wait_exit(pid_t pid) {
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

const std::string kPaced = kSweepDir + "paced.yaml" + kSystem + " --param fast=10,20 --quiet";

}  // namespace

TEST_CASE("an MPI sweep on 3 ranks writes the local sweep's files byte for byte", "[cluster][mpi]") {
  const fs::path dir = fresh("mpi");
  const auto o = mpi(3, "sweep " + kOrcl + " --mpi --output " + dir.string());
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK_THAT(o.err, Catch::Contains("6 points: 6 run now (2 failed), 0 from an earlier run"));
  // Rank 0 alone prints: one table, one path.
  CHECK(lines_of(o.out).size() == 7);  // title, header, 4 done rows, path
  CHECK(lines_of(o.out).back() == (dir / "sweep.csv").string());
  CHECK(file_text(dir / "sweep.csv") == file_text(local_sweep() / "sweep.csv"));
  CHECK(results_table(dir) == results_table(local_sweep()));
  const auto csv = lines_of(file_text(dir / "sweep.csv"));
  REQUIRE(csv.size() == 7);
  CHECK_THAT(csv[1], Catch::StartsWith("0,5,0,failed,"));
  CHECK_THAT(csv[2], Catch::StartsWith("1,5,30,done,"));
  for (const char* point : {"0001", "0002", "0004", "0005"}) {
    CHECK(file_text(dir / "points" / point / "trades.csv") ==
          file_text(local_sweep() / "points" / point / "trades.csv"));
    CHECK(file_text(dir / "points" / point / "equity.csv") ==
          file_text(local_sweep() / "points" / point / "equity.csv"));
  }
  CHECK(file_text(dir / "points" / "0005" / "trades.csv").size() > 1000);
  // And a lone run of point 5 (fast=10 slow=40) gives its row.
  const auto lone = cli("run " + kSweepDir + "orcl.yaml" + kSystem + " --quiet --output " +
                        (kWork / "lone").string() + " --param fast=10 --param slow=40");
  REQUIRE(lone.status == 0);
  const auto row = qtrader::sweep_row_from_results(5, {"10", "40"}, lines_of(lone.out).back());
  CHECK(csv[6] == qtrader::format_sweep_row(row));
}

TEST_CASE("a started mpirun is detected without --mpi", "[cluster][mpi]") {
  const fs::path dir = fresh("detected");
  const auto o = mpi(2, "sweep " + kOrcl + " --output " + dir.string());
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK(file_text(dir / "sweep.csv") == file_text(local_sweep() / "sweep.csv"));
}

TEST_CASE("an interrupted MPI sweep resumes, skipping its finished points", "[cluster][mpi]") {
  const fs::path dir = fresh("resume");
  auto o = mpi(3, "sweep " + kOrcl + " --mpi --max-points 2 --output " + dir.string());
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK_THAT(o.err, Catch::Contains("4 not run yet"));
  REQUIRE(lines_of(file_text(dir / "sweep.csv")).size() == 3);
  std::ofstream(dir / "points" / "0001" / "marker") << "kept";
  o = mpi(3, "sweep " + kOrcl + " --mpi --output " + dir.string());
  REQUIRE(o.status == 0);
  CHECK_THAT(o.err, Catch::Contains("6 points: 4 run now (1 failed), 2 from an earlier run"));
  CHECK(file_text(dir / "points" / "0001" / "marker") == "kept");
  CHECK(file_text(dir / "sweep.csv") == file_text(local_sweep() / "sweep.csv"));
}

TEST_CASE("a point whose worker is killed twice on a rank is a failed row and the MPI sweep completes",
          "[cluster][mpi]") {
  const fs::path dir = fresh("killed-point");
  // Two ranks: rank 0 coordinates, the other runs the paced points (about 1 s each) on one worker.
  const pid_t job = spawn(kMpirun + " -n 2 " + QTRADER_BINARY + " sweep " + kPaced + " --mpi --output " +
                              dir.string(),
                          kWork / "killed-point.log");
  auto worker = [&](pid_t not_this) {
    pid_t found = 0;
    eventually([&] {
      for (const pid_t rank : children_of(job))
        for (const pid_t w : children_of(rank))
          if (w != not_this) found = w;
      return found != 0;
    });
    return found;
  };
  // The rank holds one point in reserve: point 1 runs next, then point 0 again.
  REQUIRE(eventually([&] { return fs::exists(dir / "points" / "0000" / "equity.csv.partial"); }));
  const pid_t first = worker(0);
  REQUIRE(first > 0);
  ::kill(first, SIGKILL);
  REQUIRE(eventually([&] { return lines_of(file_text(dir / "sweep.csv")).size() == 2; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // point 0 runs (about 1 s)
  const pid_t second = worker(first);
  REQUIRE(second > 0);
  ::kill(second, SIGKILL);
  CHECK(wait_exit(job) == 0);
  INFO(file_text(kWork / "killed-point.log"));
  const auto csv = lines_of(file_text(dir / "sweep.csv"));
  REQUIRE(csv.size() == 3);
  CHECK(csv[1] == "0,10,failed,,,,,,,,,,,,,,the worker process was killed by signal 9 (Killed)");
  CHECK_THAT(csv[2], Catch::StartsWith("1,20,done,"));
}

TEST_CASE("a killed rank stops the MPI job with the finished rows kept, and the same command resumes",
          "[cluster][mpi]") {
  const fs::path dir = fresh("killed-rank");
  const pid_t job = spawn(kMpirun + " -n 2 " + QTRADER_BINARY + " sweep " + kPaced + " --mpi --output " +
                              dir.string(),
                          kWork / "killed-rank.log");
  // Once point 0 is recorded and point 1 runs, kill the rank that runs it.
  pid_t runner = 0;
  REQUIRE(eventually([&] {
    if (lines_of(file_text(dir / "sweep.csv")).size() != 2 ||
        !fs::exists(dir / "points" / "0001" / "equity.csv.partial"))
      return false;
    for (const pid_t rank : children_of(job))
      if (!children_of(rank).empty()) runner = rank;
    return runner != 0;
  }));
  ::kill(runner, SIGKILL);
  CHECK(wait_exit(job) != 0);  // mpirun ends the whole job when a rank dies
  const auto csv = lines_of(file_text(dir / "sweep.csv"));
  REQUIRE(csv.size() == 2);
  CHECK_THAT(csv[1], Catch::StartsWith("0,10,done,"));

  const auto o = mpi(2, "sweep " + kSweepDir + "paced.yaml" + kSystem + " --param fast=10,20 --mpi --output " +
                            dir.string());
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK_THAT(o.err, Catch::Contains("2 points: 1 run now (0 failed), 1 from an earlier run"));
  const auto resumed = lines_of(file_text(dir / "sweep.csv"));
  REQUIRE(resumed.size() == 3);
  CHECK(resumed[1] == csv[1]);
  CHECK_THAT(resumed[2], Catch::StartsWith("1,20,done,"));
}

TEST_CASE("with mpirun's recovery on a killed rank costs its point a retry and the sweep completes",
          "[cluster][mpi]") {
  // Open MPI ends the whole job when a rank dies unless recovery is on.
  const std::string grid = " --param fast=10,20,30,40 --quiet";
  const fs::path dir = fresh("rank-dies"), local = fresh("rank-dies-local");
  const pid_t job = spawn(kMpirun + " --mca orte_enable_recovery 1 --mca orte_abort_on_non_zero_status 0 -n 3 " +
                              QTRADER_BINARY + " sweep " + kSweepDir + "paced.yaml" + kSystem + grid +
                              " --mpi --rank-timeout 2 --output " + dir.string(),
                          kWork / "rank-dies.log");
  // Kill a rank while its worker runs a point: both runners are busy once
  // two points are being written.
  pid_t victim = 0;
  REQUIRE(eventually([&] {
    std::error_code ec;
    int writing = 0;
    for (const auto& p : fs::directory_iterator(dir / "points", ec))
      writing += fs::exists(p.path() / "equity.csv.partial");
    if (writing < 2) return false;
    for (const pid_t rank : children_of(job))
      if (!children_of(rank).empty()) victim = rank;
    return victim != 0;
  }));
  ::kill(victim, SIGKILL);
  const int status = wait_exit(job);
  const std::string log = file_text(kWork / "rank-dies.log");
  INFO(log);
  CHECK(status == 0);
  CHECK_THAT(log, Catch::Contains("said nothing for") && Catch::Contains("taken for dead, its points run elsewhere"));
  // Every point done, each row as the local sweep has it.
  const auto o = cli("sweep " + kSweepDir + "paced.yaml" + kSystem + grid + " --jobs 2 --output " + local.string());
  REQUIRE(o.status == 0);
  CHECK(results_table(dir) == results_table(local));
  const auto csv = lines_of(file_text(dir / "sweep.csv"));
  CHECK(csv.size() == 5);
  for (std::size_t i = 1; i < csv.size(); ++i) CHECK(csv[i].find(",done,") != std::string::npos);
}

TEST_CASE("points whose script fails or times out are failed rows and the MPI sweep completes",
          "[cluster][mpi]") {
  const std::string dir_of_test = std::string(QTRADER_SOURCE_DIR) + "/tests/cluster/";
  const std::string sweep = "sweep " + dir_of_test + "misbehaves.yaml" + kSystem + " --param mode=0,1,2 --quiet";
  const fs::path dir = fresh("misbehaves"), local = fresh("misbehaves-local");
  const auto o = mpi(3, sweep + " --mpi --output " + dir.string());
  INFO(o.err);
  REQUIRE(o.status == 0);
  const std::string script = dir_of_test + "scripts/misbehaves.lua";
  const auto csv = file_text(dir / "sweep.csv");
  CHECK(csv == qtrader::sweep_csv_header({qtrader::parse_sweep_axis("mode=0,1,2")}) + "\n" +
                   "0,0,done,0,0,,,0,0,,,100000,,,,,\n"
                   "1,1,failed,,,,,,,,,,,,,,\"" + script + " in on_bar: " + script +
                   ":20: attempt to index local 't' (a nil value)\nstack traceback:\n\t" + script +
                   ":20: in function <" + script + ":15>\"\n"
                   "2,2,failed,,,,,,,,,,,,,,\"" + script + " in on_bar: " + script +
                   ":22: time budget of 1 s exceeded\nstack traceback:\n\t" + script +
                   ":22: in function <" + script + ":15>\"\n");
  REQUIRE(cli(sweep + " --jobs 2 --output " + local.string()).status == 0);
  CHECK(csv == file_text(local / "sweep.csv"));
}

TEST_CASE("walk-forward on MPI writes the local walk-forward's files byte for byte", "[cluster][mpi][walkforward]") {
  const std::string wf = "walkforward " + kSweepDir + "orcl.yaml" + kSystem +
                         " --param fast=5,10 --param slow=30,40 --train 2y --test 2y --quiet --output ";
  const fs::path dir = fresh("wf-mpi"), local = fresh("wf-local");
  const auto o = mpi(3, wf + dir.string() + " --mpi");
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK_THAT(o.out, Catch::EndsWith(dir.string() + "\n"));
  REQUIRE(cli(wf + local.string() + " --jobs 2").status == 0);
  CHECK(lines_of(file_text(dir / "walkforward.csv")).size() == 5);  // header + 4 windows
  for (const char* file : {"walkforward.csv", "equity.csv", "trades.csv", "fills.csv"})
    CHECK(file_text(dir / file) == file_text(local / file));
  CHECK(file_text(dir / "windows" / "00" / "train" / "sweep.csv") ==
        file_text(local / "windows" / "00" / "train" / "sweep.csv"));
}
