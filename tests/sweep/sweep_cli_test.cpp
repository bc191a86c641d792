// `qtrader sweep` and `qtrader run --param` as a user runs them, on ORCL with
// the SMA crossover: rows equal lone runs, resume, failed points, bad input.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "headless_chromium.hpp"
#include "qtrader/sweep.hpp"
#include "qtrader/version.hpp"
#include "shell_command.hpp"
#include "file_text.hpp"

namespace fs = std::filesystem;

using qtrader::test::file_text;

namespace {

using Output = qtrader::test::CommandOutput;
using qtrader::test::lines_of;

// One folder per test process: ctest runs the test cases in parallel.
const fs::path kWork = qtrader::test::process_temp_dir().path();
const std::string kDir = std::string(QTRADER_SOURCE_DIR) + "/tests/sweep/";
const std::string kSystem = " --system " + std::string(QTRADER_FIXTURES_DIR) + "/cli/system.yaml";

Output cli(const std::string& args) {
  return qtrader::test::run_shell_captured(std::string(QTRADER_BINARY) + " " + args);
}

fs::path fresh(const std::string& name) {
  const fs::path dir = kWork / name;
  fs::remove_all(dir);
  return dir;
}

// The 4-point grid of these tests, and one uninterrupted sweep of it.
const std::string kGrid = " --param fast=5,10 --param slow=30:40:10";
const std::vector<qtrader::SweepAxis> kAxes{qtrader::parse_sweep_axis("fast=5,10"),
                                            qtrader::parse_sweep_axis("slow=30:40:10")};

const fs::path& full_sweep() {
  static const fs::path dir = [] {
    const fs::path d = fresh("full");
    const auto o = cli("sweep " + kDir + "orcl.yaml" + kSystem + kGrid + " --jobs 2 --output " +
                           d.string());
    REQUIRE(o.status == 0);
    return d;
  }();
  return dir;
}

}  // namespace

TEST_CASE("every sweep row is byte-identical to a lone run of that point", "[sweep][cli]") {
  const fs::path dir = full_sweep();
  const auto csv = lines_of(file_text(dir / "sweep.csv"));
  REQUIRE(csv.size() == 5);
  CHECK(csv[0] == qtrader::sweep_csv_header(kAxes));
  for (std::size_t point = 0; point < 4; ++point) {
    const auto values = qtrader::grid_values(kAxes, point);
    const auto lone = cli("run " + kDir + "orcl.yaml" + kSystem + " --quiet --output " +
                              (kWork / "lone").string() + " --param fast=" + values[0] +
                              " --param slow=" + values[1]);
    REQUIRE(lone.status == 0);
    const std::string run_dir = lines_of(lone.out).back();
    const auto row = qtrader::sweep_row_from_results(point, values, run_dir);
    CHECK(row.status == "done");
    CHECK(csv[point + 1] == qtrader::format_sweep_row(row));
    const fs::path point_dir = dir / "points" / ("000" + std::to_string(point));
    CHECK(file_text(point_dir / "trades.csv") == file_text(fs::path(run_dir) / "trades.csv"));
    CHECK(file_text(point_dir / "equity.csv") == file_text(fs::path(run_dir) / "equity.csv"));
  }
  // The sweep's points traded: the comparison is not between empty files.
  CHECK(file_text(dir / "points" / "0000" / "trades.csv").size() > 1000);
}

TEST_CASE("the sweep prints the best points by the metric, then the path of sweep.csv",
          "[sweep][cli]") {
  const fs::path dir = fresh("best");
  const auto o = cli("sweep " + kDir + "orcl.yaml" + kSystem + kGrid +
                         " --jobs 2 --quiet --metric total_return --output " + dir.string());
  REQUIRE(o.status == 0);
  CHECK(o.err.empty());  // --quiet
  const auto out = lines_of(o.out);
  REQUIRE(out.size() == 7);  // title, header, 4 rows, path
  CHECK(out[0] == "best 4 of 4 points by total_return:");
  CHECK(out.back() == (dir / "sweep.csv").string());
  // The leader is the row of sweep.csv with the highest total_return.
  const auto csv = lines_of(file_text(dir / "sweep.csv"));
  std::vector<qtrader::SweepRow> rows;
  for (std::size_t i = 1; i < csv.size(); ++i) {
    qtrader::SweepRow r{i - 1, {}, "done", {}, ""};
    std::istringstream cells(csv[i]);
    std::vector<std::string> c;
    for (std::string cell; std::getline(cells, cell, ',');) c.push_back(cell);
    r.metrics.assign(c.begin() + 4, c.begin() + 13);
    rows.push_back(r);
  }
  const auto best = qtrader::best_sweep_rows(rows, "total_return", 1);
  REQUIRE(best.size() == 1);
  CHECK_THAT(out[2], Catch::StartsWith("    " + std::to_string(best[0].point) + "  "));
  // The uninterrupted sweep of the same grid wrote the same file.
  CHECK(file_text(dir / "sweep.csv") == file_text(full_sweep() / "sweep.csv"));
}

TEST_CASE("an interrupted sweep resumes, skipping finished points, to the same sweep.csv",
          "[sweep][cli]") {
  const fs::path dir = fresh("resume");
  const std::string cmd = "sweep " + kDir + "orcl.yaml" + kSystem + kGrid + " --jobs 2 --output " +
                          dir.string();
  auto o = cli(cmd + " --max-points 2");
  REQUIRE(o.status == 0);
  CHECK(lines_of(file_text(dir / "sweep.csv")).size() == 3);
  CHECK_THAT(o.err, Catch::Contains("2 not run yet"));
  // A finished point's folder is removed if its point runs again: a marker shows it did not.
  std::ofstream(dir / "points" / "0000" / "marker") << "kept";
  std::ofstream(dir / "points" / "0001" / "marker") << "kept";

  o = cli(cmd);
  REQUIRE(o.status == 0);
  CHECK_THAT(o.err, Catch::Contains("4 points: 2 run now (0 failed), 2 from an earlier run"));
  CHECK(file_text(dir / "points" / "0000" / "marker") == "kept");
  CHECK(file_text(dir / "points" / "0001" / "marker") == "kept");
  CHECK(file_text(dir / "points" / "0003" / "trades.csv") ==
        file_text(full_sweep() / "points" / "0003" / "trades.csv"));
  CHECK(file_text(dir / "sweep.csv") == file_text(full_sweep() / "sweep.csv"));

  // Nothing left: a third run runs nothing.
  o = cli(cmd + " --quiet");
  REQUIRE(o.status == 0);
  CHECK(file_text(dir / "sweep.csv") == file_text(full_sweep() / "sweep.csv"));
}

TEST_CASE("a sweep folder refuses another grid", "[sweep][cli]") {
  const fs::path dir = fresh("other-grid");
  REQUIRE(cli("sweep " + kDir + "orcl.yaml" + kSystem + " --param fast=5,10 --quiet --output " +
                  dir.string())
              .status == 0);
  const auto o = cli("sweep " + kDir + "orcl.yaml" + kSystem + " --param fast=5,15 --output " +
                         dir.string());
  CHECK(o.status == 2);
  CHECK(o.err == "error: " + dir.string() +
                     " holds a sweep started with another grid (fast=5,10 then, fast=5,15 now): "
                     "use another --output\n");
}

TEST_CASE("a point that fails is a failed row and the sweep goes on", "[sweep][cli]") {
  const fs::path dir = fresh("failed");
  const auto o = cli("sweep " + kDir + "orcl.yaml" + kSystem +
                         " --param slow=0,30 --jobs 2 --output " + dir.string());
  CHECK(o.status == 0);
  const auto csv = lines_of(file_text(dir / "sweep.csv"));
  REQUIRE(csv.size() == 3);
  CHECK(csv[1] ==
        "0,0,failed,,,,,,,,,,,,,,\"--param:1: key 'strategies[sma].config.slow': strategy "
        "'sma_crossover' parameter 'slow' = 0 is out of range [1, inf]\"");
  CHECK_THAT(csv[2], Catch::StartsWith("1,30,done,"));
  CHECK_THAT(o.err, Catch::Contains("2 run now (1 failed)"));
  CHECK_THAT(o.out, Catch::StartsWith("best 1 of 2 points by sharpe:"));
}

TEST_CASE("an undeclared param or bad grid syntax stops the sweep before it starts, exit 2",
          "[sweep][cli]") {
  const fs::path dir = fresh("bad");
  auto o = cli("sweep " + kDir + "orcl.yaml" + kSystem + " --param fast=5,10 --param slwo=30 "
                   "--output " + dir.string());
  CHECK(o.status == 2);
  CHECK(o.err ==
        "error: --param:2: key 'strategies[sma].config.slwo': strategy 'sma_crossover' has no "
        "parameter 'slwo' (its parameters: fast, slow)\n");
  CHECK_FALSE(fs::exists(dir));
  o = cli("sweep " + kDir + "orcl.yaml" + kSystem + " --param fast=5:x --output " + dir.string());
  CHECK(o.status == 2);
  CHECK(o.err == "error: --param fast=5:x: a range is A:B:STEP (three numbers)\n");
  o = cli("sweep " + kDir + "orcl.yaml" + kSystem + " --param risk.qty=1,2 --output " + dir.string());
  CHECK(o.status == 2);
  CHECK_THAT(o.err, Catch::Contains("risk policy 'fixed_quantity' has no parameter 'qty'"));
  o = cli("sweep " + kDir + "orcl.yaml" + kSystem + " --param fast=1 --metric beta");
  CHECK(o.status == 2);
  CHECK_THAT(o.err, Catch::StartsWith("error: --metric beta: not a sweep metric"));
}

TEST_CASE("run --param overrides a strategy or risk param as the YAML would", "[sweep][cli][run]") {
  const std::string run = "run " + kDir + "orcl.yaml" + kSystem + " --quiet --no-report --output " +
                          (kWork / "param").string();
  // risk.quantity: every trade is 300 shares.
  auto o = cli(run + " --param risk.quantity=300 --param sma.fast=12");
  REQUIRE(o.status == 0);
  const auto trades = lines_of(file_text(fs::path(lines_of(o.out).back()) / "trades.csv"));
  REQUIRE(trades.size() > 10);
  const auto header = trades[0];
  std::size_t qty_col = 0, col = 0;
  for (std::size_t b = 0, e; b != std::string::npos; b = e == std::string::npos ? e : e + 1, ++col) {
    e = header.find(',', b);
    if (header.substr(b, e == std::string::npos ? e : e - b) == "quantity") qty_col = col;
  }
  for (std::size_t i = 1; i < trades.size(); ++i) {
    std::istringstream cells(trades[i]);
    std::string cell;
    for (std::size_t c = 0; c <= qty_col; ++c) std::getline(cells, cell, ',');
    CHECK(std::stod(cell) == 300);
  }
  // Errors name the override.
  o = cli(run + " --param fast=ten");
  CHECK(o.status == 2);
  CHECK(o.err == "error: --param:1: key 'strategies[sma].config.fast': strategy 'sma_crossover' "
                 "parameter 'fast' must be an integer, got a string\n");
  o = cli("run " + kDir + "two_strategies.yaml" + kSystem + " --param fast=3");
  CHECK(o.status == 2);
  CHECK(o.err == "error: --param:1: key 'fast': the backtest has 2 strategies (a, b): write "
                 "STRATEGY_ID.fast or risk.fast\n");
  o = cli("run " + kDir + "orcl.yaml" + kSystem + " --param fast");
  CHECK(o.status == 2);
  CHECK(o.err == "error: --param fast: expected NAME=VALUE\n");
}

namespace {

// The paced sweep (about 1 s a point, one worker) started in the background.
pid_t start_paced_sweep(const fs::path& dir) {
  fs::create_directories(kWork);
  const std::string out = (kWork / (dir.filename().string() + ".out")).string();
  std::vector<std::string> args{QTRADER_BINARY, "sweep", kDir + "paced.yaml", "--system",
                                std::string(QTRADER_FIXTURES_DIR) + "/cli/system.yaml",
                                "--param", "fast=10,20", "--jobs", "1", "--quiet", "--output",
                                dir.string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t sweep = 0;
  const int rc = posix_spawn(&sweep, QTRADER_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);
  return sweep;
}

}  // namespace

TEST_CASE("SIGTERM stops a sweep with its finished points kept and the same command resumes",
          "[sweep][cli]") {
  const fs::path dir = fresh("sigterm");
  const pid_t sweep = start_paced_sweep(dir);
  // Once point 0 is in sweep.csv and point 1 has started, stop the sweep.
  bool midway = false;
  for (int i = 0; i < 1000 && !midway; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    midway = lines_of(file_text(dir / "sweep.csv")).size() == 2 &&
             fs::exists(dir / "points" / "0001" / "equity.csv.partial");  // point 1 is running
  }
  REQUIRE(midway);
  ::kill(sweep, SIGTERM);
  int status = 0;
  REQUIRE(::waitpid(sweep, &status, 0) == sweep);
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 130));
  const auto csv = lines_of(file_text(dir / "sweep.csv"));
  REQUIRE(csv.size() == 2);  // point 1 was abandoned, not recorded as failed
  CHECK_THAT(csv[1], Catch::StartsWith("0,10,done,"));

  const auto o = cli("sweep " + kDir + "paced.yaml" + kSystem + " --param fast=10,20 --resume " +
                     dir.string());
  CHECK(o.status == 0);
  CHECK_THAT(o.err, Catch::Contains("2 points: 1 run now (0 failed), 1 from an earlier run"));
  const auto resumed = lines_of(file_text(dir / "sweep.csv"));
  REQUIRE(resumed.size() == 3);
  CHECK(resumed[1] == csv[1]);
  CHECK_THAT(resumed[2], Catch::StartsWith("1,20,done,"));
}

namespace {

// The sweep's one worker once it runs point 0 (it has made the point's
// equity.csv), other than `not_this` (a worker already killed).
pid_t worker_on_point0(pid_t sweep, const fs::path& dir, pid_t not_this = 0) {
  const fs::path children = fs::path("/proc") / std::to_string(sweep) / "task" / std::to_string(sweep) / "children";
  for (int i = 0; i < 1000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    pid_t worker = 0;
    std::istringstream(file_text(children)) >> worker;
    if (worker <= 0 || worker == not_this) continue;
    if (fs::exists(dir / "points" / "0000" / "equity.csv.partial")) return worker;
  }
  return 0;
}

}  // namespace

TEST_CASE("a worker killed once costs nothing: its point runs again", "[sweep][cli][hardening]") {
  const fs::path dir = fresh("killed-once");
  const pid_t sweep = start_paced_sweep(dir);
  const pid_t worker = worker_on_point0(sweep, dir);
  REQUIRE(worker > 0);
  ::kill(worker, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(sweep, &status, 0) == sweep);
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  const auto csv = lines_of(file_text(dir / "sweep.csv"));
  REQUIRE(csv.size() == 3);
  CHECK_THAT(csv[1], Catch::StartsWith("0,10,done,"));
  CHECK_THAT(csv[2], Catch::StartsWith("1,20,done,"));
}

TEST_CASE("a worker that dies twice costs its point only: a failed row naming the signal and run again on resume",
          "[sweep][cli]") {
  const fs::path dir = fresh("killed");
  const pid_t sweep = start_paced_sweep(dir);

  // The worker running point 0, then the one running it again: kill both.
  const pid_t first = worker_on_point0(sweep, dir);
  REQUIRE(first > 0);
  ::kill(first, SIGKILL);
  const pid_t worker = worker_on_point0(sweep, dir, first);
  REQUIRE(worker > 0);
  ::kill(worker, SIGKILL);
  int status = 0;
  REQUIRE(::waitpid(sweep, &status, 0) == sweep);
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  const auto csv = lines_of(file_text(dir / "sweep.csv"));
  REQUIRE(csv.size() == 3);
  CHECK(csv[1] == "0,10,failed,,,,,,,,,,,,,,the worker process was killed by signal 9 (Killed)");
  CHECK_THAT(csv[2], Catch::StartsWith("1,20,done,"));

  // A killed worker's point is not the point's fault: resume runs it again.
  const auto o = cli("sweep " + kDir + "paced.yaml" + kSystem + " --param fast=10,20 --resume " +
                     dir.string());
  CHECK(o.status == 0);
  CHECK_THAT(o.err, Catch::Contains("2 points: 1 run now (0 failed), 1 from an earlier run"));
  const auto resumed = lines_of(file_text(dir / "sweep.csv"));
  REQUIRE(resumed.size() == 3);
  CHECK_THAT(resumed[1], Catch::StartsWith("0,10,done,"));
  CHECK(resumed[2] == csv[2]);
}

TEST_CASE("shards of a sweep merged are the whole sweep byte for byte, and a missing shard resumes",
          "[sweep][cli][shard]") {
  const std::string bt = kDir + "orcl.yaml" + kSystem + kGrid + " --jobs 1 --quiet";
  std::vector<std::string> dirs;
  for (int i = 0; i < 3; ++i) {
    const fs::path d = fresh("shard" + std::to_string(i));
    const auto o = cli("sweep " + bt + " --shard " + std::to_string(i) + "/3 --output " + d.string());
    INFO(o.err);
    REQUIRE(o.status == 0);
    dirs.push_back(d.string());
  }
  // Every 3rd point from the i-th: shard 0 ran points 0 and 3.
  CHECK(lines_of(file_text(fs::path(dirs[0]) / "sweep.csv")).size() == 3);
  const fs::path merged = fresh("merged");
  const auto m = cli("sweep merge " + dirs[0] + " " + dirs[1] + " " + dirs[2] + " --output " + merged.string());
  INFO(m.err);
  REQUIRE(m.status == 0);
  CHECK(m.out == (merged / "sweep.csv").string() + "\n");
  CHECK(file_text(merged / "sweep.csv") == file_text(full_sweep() / "sweep.csv"));
  CHECK(std::distance(fs::directory_iterator(merged / "points"), fs::directory_iterator()) == 4);

  // Two of three shards: the merged folder resumes the missing points only.
  const fs::path partial = fresh("merged_partial");
  const auto p = cli("sweep merge " + dirs[0] + " " + dirs[2] + " --output " + partial.string());
  REQUIRE(p.status == 0);
  CHECK_THAT(p.err, Catch::Contains("3 of 4 points; 1 missing"));
  const auto r = cli("sweep " + kDir + "orcl.yaml" + kSystem + kGrid + " --jobs 1 --resume " + partial.string());
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK_THAT(r.err, Catch::Contains("4 points: 1 run now (0 failed), 3 from an earlier run"));
  CHECK(file_text(partial / "sweep.csv") == file_text(full_sweep() / "sweep.csv"));
}

TEST_CASE("merge refuses a shard of another sweep, a shard given twice and a folder that is no sweep",
          "[sweep][cli][shard]") {
  const std::string bt = kDir + "orcl.yaml" + kSystem + " --jobs 1 --quiet";
  const fs::path a = fresh("m_a"), b = fresh("m_b"), c = fresh("m_c");
  REQUIRE(cli("sweep " + bt + kGrid + " --shard 0/2 --output " + a.string()).status == 0);
  REQUIRE(cli("sweep " + bt + " --param fast=5,7 --param slow=30:40:10 --shard 1/2 --output " + b.string()).status == 0);
  REQUIRE(cli("sweep " + bt + kGrid + " --shard 0/3 --output " + c.string()).status == 0);
  auto o = cli("sweep merge " + a.string() + " " + b.string() + " --output " + fresh("m_out").string());
  CHECK(o.status == 2);
  CHECK_THAT(o.err, Catch::Contains(b.string() + " is a sweep with another grid"));
  o = cli("sweep merge " + a.string() + " " + a.string() + " --output " + fresh("m_out").string());
  CHECK(o.status == 2);
  CHECK_THAT(o.err, Catch::Contains("shard 0/2 is given twice"));
  o = cli("sweep merge " + a.string() + " " + c.string() + " --output " + fresh("m_out").string());
  CHECK(o.status == 2);
  CHECK_THAT(o.err, Catch::Contains("not the same split"));
  o = cli("sweep merge " + a.string() + " " + kWork.string() + " --output " + fresh("m_out").string());
  CHECK(o.status == 2);
  CHECK_THAT(o.err, Catch::Contains("no sweep.sqlite: not a sweep folder"));
  // A shard folder resumed with another shard is refused like another grid.
  o = cli("sweep " + bt + kGrid + " --shard 1/2 --output " + a.string());
  CHECK(o.status == 2);
  CHECK_THAT(o.err, Catch::Contains("another shard"));
  o = cli("sweep " + bt + kGrid + " --shard 2/2 --output " + fresh("m_bad").string());
  CHECK(o.status == 2);
  CHECK_THAT(o.err, Catch::Contains("--shard 2/2: expected I/N"));
}

TEST_CASE("a random sweep runs the same K points every time, each row equal to the whole sweep's",
          "[sweep][cli][random]") {
  const std::string bt = kDir + "orcl.yaml" + kSystem + kGrid + " --jobs 1 --quiet --random 2 --seed 7";
  const fs::path a = fresh("rand_a"), b = fresh("rand_b");
  REQUIRE(cli("sweep " + bt + " --output " + a.string()).status == 0);
  REQUIRE(cli("sweep " + bt + " --output " + b.string()).status == 0);
  const auto rows = lines_of(file_text(a / "sweep.csv"));
  REQUIRE(rows.size() == 3);
  CHECK(file_text(a / "sweep.csv") == file_text(b / "sweep.csv"));
  const auto whole = lines_of(file_text(full_sweep() / "sweep.csv"));
  for (std::size_t i = 1; i < rows.size(); ++i)
    CHECK(std::find(whole.begin(), whole.end(), rows[i]) != whole.end());
}

namespace {

// orcl.yaml with other dates: a lone run of one span, as a user would write it.
std::string dated_backtest(const std::string& name, const std::string& start, const std::string& end) {
  std::string text = file_text(kDir + "orcl.yaml");
  const auto replace = [&](const std::string& key, const std::string& value) {
    const auto at = text.find(key + ": ");
    const auto eol = text.find('\n', at);
    text.replace(at, eol - at, key + ": " + value);
  };
  replace("start_date", start);
  replace("end_date", end);
  const fs::path path = kWork / (name + ".yaml");
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) out.push_back(cell);
  return out;
}

}  // namespace

TEST_CASE("walk-forward picks each training span's best point and stitches the test spans, as lone runs do",
          "[sweep][cli][walkforward]") {
  const fs::path dir = fresh("walkforward");
  const auto o = cli("walkforward " + kDir + "orcl.yaml" + kSystem +
                     " --param fast=5,10 --param slow=30,40 --train 2y --test 2y --jobs 2 --quiet --output " +
                     dir.string());
  INFO(o.err);
  REQUIRE(o.status == 0);
  CHECK_THAT(o.out, Catch::EndsWith(dir.string() + "\n"));
  const auto table = lines_of(file_text(dir / "walkforward.csv"));
  REQUIRE(table.size() == 5);  // header + 4 windows: 2005-06 | 2007-08, ... 2011-12 | 2013-14
  CHECK(table[0] == "window,train_start,train_end,test_start,test_end,point,fast,slow,in_sample_sharpe,"
                    "out_of_sample_sharpe");
  const std::vector<std::pair<int, int>> grid{{5, 30}, {5, 40}, {10, 30}, {10, 40}};
  std::string stitched = "timestamp,cash,equity\n";
  double offset = 0.0;
  for (std::size_t k = 0; k < 4; ++k) {
    const auto cells = cells_of(table[k + 1]);
    const int year = 2005 + 2 * static_cast<int>(k);
    CHECK(cells[1] == fmt::format("{}-01-01", year));
    CHECK(cells[2] == fmt::format("{}-12-31", year + 1));
    CHECK(cells[3] == fmt::format("{}-01-01", year + 2));
    CHECK(cells[4] == fmt::format("{}-12-31", year + 3));
    // The best of four lone runs over the training span, by Sharpe.
    const std::string train = dated_backtest("wf_train", cells[1], cells[2]);
    std::size_t best = 0;
    double best_sharpe = -1e300;
    for (std::size_t p = 0; p < grid.size(); ++p) {
      const auto run = cli("run " + train + kSystem + " --quiet --param fast=" + std::to_string(grid[p].first) +
                           " --param slow=" + std::to_string(grid[p].second));
      REQUIRE(run.status == 0);
      const std::string folder = run.out.substr(0, run.out.find('\n'));
      const double sharpe =
          qtrader::sweep_metric_value(qtrader::sweep_row_from_results(p, {}, folder), "sharpe");
      if (sharpe > best_sharpe) best = p, best_sharpe = sharpe;
    }
    INFO("window " << k);
    CHECK(cells[5] == std::to_string(best));
    CHECK(cells[6] == std::to_string(grid[best].first));
    CHECK(cells[7] == std::to_string(grid[best].second));
    CHECK(std::strtod(cells[8].c_str(), nullptr) == best_sharpe);
    // The chosen params over the test span, alone; the stitched record adds
    // what the earlier windows gained.
    const std::string test = dated_backtest("wf_test", cells[3], cells[4]);
    const auto run = cli("run " + test + kSystem + " --quiet --param fast=" + std::to_string(grid[best].first) +
                         " --param slow=" + std::to_string(grid[best].second));
    REQUIRE(run.status == 0);
    const auto rows = lines_of(file_text(fs::path(run.out.substr(0, run.out.find('\n'))) / "equity.csv"));
    double last = 0.0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const auto c = cells_of(rows[i]);
      last = std::strtod(c[2].c_str(), nullptr) + offset;
      stitched += fmt::format("{},{},{}\n", c[0], std::strtod(c[1].c_str(), nullptr) + offset, last);
    }
    offset = last - 100000.0;
  }
  CHECK(file_text(dir / "equity.csv") == stitched);
  CHECK(fs::exists(dir / "metrics.json"));
  CHECK(fs::exists(dir / "report.html"));
}

TEST_CASE("walk-forward refuses spans that do not fit or overlap", "[sweep][cli][walkforward]") {
  const std::string base = "walkforward " + kDir + "orcl.yaml" + kSystem + " --param fast=5,10 --quiet";
  auto o = cli(base + " --train 20y --test 1y --output " + fresh("wf_bad").string());
  CHECK(o.status == 2);
  CHECK_THAT(o.err, Catch::Contains("no walk-forward window fits"));
  o = cli(base + " --train 2y --test 2y --step 1y --output " + fresh("wf_bad").string());
  CHECK(o.status == 2);
  CHECK_THAT(o.err, Catch::Contains("--step is shorter than --test"));
  o = cli(base + " --train 2q --test 1y --output " + fresh("wf_bad").string());
  CHECK(o.status == 2);
  CHECK_THAT(o.err, Catch::Contains("--train 2q: expected a whole number and y, m, w or d"));
}

TEST_CASE("sweep.html renders the heatmap, the best points and the distribution in Chromium",
          "[sweep][cli][report]") {
  const fs::path html = full_sweep() / "sweep.html";
  REQUIRE(fs::exists(html));
  const std::string page = file_text(html);
  CHECK(page.find("src=\"http") == std::string::npos);  // offline
  if (!qtrader::test::have_chromium()) return;
  const std::string dom = qtrader::test::chromium(html, "--dump-dom", kWork / "chromium");
  using qtrader::test::dom_attribute;
  INFO("script error: " << dom_attribute(dom, "data-script-error"));
  CHECK(dom_attribute(dom, "data-script-error") == "<absent>");
  CHECK(dom_attribute(dom, "data-rendered") == "sharpe");
  CHECK(dom_attribute(dom, "data-heatmap-cells") == "4");  // fast x slow, every point done
  CHECK(dom_attribute(dom, "data-histogram-points") == "4");
  // The first row of the best points is the point of sweep.csv with the highest Sharpe.
  const auto rows = lines_of(file_text(full_sweep() / "sweep.csv"));
  const auto header = cells_of(rows[0]);
  const auto column = std::find(header.begin(), header.end(), "sharpe") - header.begin();
  std::string best;
  double best_sharpe = -1e300;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto cells = cells_of(rows[i]);
    if (const double v = std::strtod(cells[column].c_str(), nullptr); v > best_sharpe) best = cells[0], best_sharpe = v;
  }
  CHECK(dom_attribute(dom, "data-best-first") == best);
}

TEST_CASE("a sweep.sqlite from before the newer metrics resumes to the same sweep.csv", "[sweep][cli]") {
  const fs::path dir = fresh("older_store");
  const std::string cmd = "sweep " + kDir + "orcl.yaml" + kSystem + kGrid + " --jobs 1 --quiet --output " + dir.string();
  REQUIRE(cli(cmd + " --max-points 2").status == 0);
  // The table as a qtrader with nine metrics left it.
  const auto drop = qtrader::test::run_shell(
      "sqlite3 '" + (dir / "sweep.sqlite").string() +
      "' 'ALTER TABLE sweep_results DROP COLUMN calmar; ALTER TABLE sweep_results DROP COLUMN omega; "
      "ALTER TABLE sweep_results DROP COLUMN alpha; ALTER TABLE sweep_results DROP COLUMN information_ratio'");
  REQUIRE(drop.status == 0);
  const auto o = cli(cmd);
  INFO(o.err);
  REQUIRE(o.status == 0);
  // The two earlier rows lost their new metrics with the columns; the rest is the whole sweep's.
  const auto resumed = lines_of(file_text(dir / "sweep.csv"));
  const auto whole = lines_of(file_text(full_sweep() / "sweep.csv"));
  REQUIRE(resumed.size() == whole.size());
  CHECK(resumed[0] == whole[0]);
  CHECK(resumed[3] == whole[3]);
  CHECK(resumed[4] == whole[4]);
  CHECK(resumed[1].substr(0, resumed[1].rfind(",,,,,")) == whole[1].substr(0, resumed[1].rfind(",,,,,")));
}

TEST_CASE("sweep.sqlite names the engine that started the sweep", "[sweep][cli][version]") {
  SQLite::Database db((full_sweep() / "sweep.sqlite").string(), SQLite::OPEN_READONLY);
  const auto info = [&](const char* key) {
    SQLite::Statement q(db, "SELECT value FROM sweep_info WHERE key = ?");
    q.bind(1, key);
    REQUIRE(q.executeStep());
    return q.getColumn(0).getString();
  };
  CHECK(info("qtrader_version") == std::string(qtrader::version()));
  CHECK(info("qtrader_commit") == std::string(qtrader::git_commit()));
}
