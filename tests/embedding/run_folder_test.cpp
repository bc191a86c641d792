// A run never shares its folder (issue #14, "concurrent and repeated runs"):
// timestamped folders are made exclusively, a fixed folder is locked for the
// run and replaced cleanly, and a folder of someone else's files is refused.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "base/folder_lock.hpp"
#include "run_backtest.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace qtrader;
using namespace qtrader::test;

namespace {

const std::string kCli = std::string(QTRADER_FIXTURES_DIR) + "/cli/";
const std::string kSystem = kCli + "system.yaml";
const std::string kBacktest = std::string(QTRADER_FIXTURES_DIR) + "/golden/orcl.yaml";

RunResult run_into(const std::string& results_dir) {
  RunOptions ro = quiet_run_options();
  ro.results_dir = results_dir;
  return run_backtest(kSystem, kBacktest, ro);
}

std::string runtime_error_of(const std::string& results_dir) {
  try {
    run_into(results_dir);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  FAIL("expected the run to be refused");
  return {};
}

}  // namespace

TEST_CASE("run folders: four runs started at once into one --output get four folders",
          "[embedding][hardening]") {
  const TempDir out("same-second");
  std::string cmd;
  for (int i = 0; i < 4; ++i)
    cmd += std::string(QTRADER_BINARY) + " run " + kBacktest + " --system " + kSystem + " --output " +
           out.str() + " --quiet --no-report > " + (out / ("out" + std::to_string(i))).string() + " 2>&1 & ";
  cmd += "wait";
  REQUIRE(run_shell(cmd).status == 0);
  std::set<std::string> folders;
  for (int i = 0; i < 4; ++i) {
    std::ifstream in(out / ("out" + std::to_string(i)));
    std::string line;
    std::getline(in, line);
    INFO("run " << i << " printed " << line);
    CHECK(fs::exists(fs::path(line) / "summary.json"));
    folders.insert(line);
  }
  CHECK(folders.size() == 4);
}

TEST_CASE("run folders: a fixed folder is replaced cleanly, and refused while another run holds it",
          "[embedding][hardening]") {
  const TempDir dir("fixed");
  const std::string folder = (dir / "run").string();
  const RunResult first = run_into(folder);
  std::ofstream(fs::path(folder) / "stale.csv") << "left by an earlier version\n";
  const RunResult second = run_into(folder);
  CHECK(second.summary.final_equity == first.summary.final_equity);
  CHECK_FALSE(fs::exists(fs::path(folder) / "stale.csv"));
  CHECK(fs::exists(fs::path(folder) / "summary.json"));

  {
    const FolderLock other(folder);  // as a run in another process holds it
    CHECK(runtime_error_of(folder) == fs::path(folder).lexically_normal().string() +
                                          ": another qtrader run or sweep is writing into this folder");
  }
  CHECK(fs::exists(fs::path(folder) / "summary.json"));  // untouched by the refused run
  CHECK_NOTHROW(run_into(folder));
}

TEST_CASE("run folders: a folder of other files is refused before anything is touched",
          "[embedding][hardening]") {
  const TempDir dir("foreign");
  std::ofstream(dir / "prices.csv") << "Date,Close\n";
  std::ofstream(dir / "notes.txt") << "mine\n";
  CHECK_THAT(runtime_error_of(dir.str()),
             Catch::Contains("the folder holds files that are not a qtrader run's"));
  CHECK(fs::exists(dir / "prices.csv"));
  CHECK(fs::exists(dir / "notes.txt"));
}
