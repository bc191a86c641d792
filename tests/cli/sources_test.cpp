// Issue 11 items 3, 7 and 9 through the real binary: a backtest that defines
// its own source runs without a system file of the user's, `--data FOLDER`
// runs a backtest on a folder of files, a symbol that ends early is warned
// about and recorded, and the reference configuration runs as written.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "shell_command.hpp"
#include "temp_dir.hpp"
#include "file_text.hpp"

using qtrader::test::file_text;

namespace {

namespace fs = std::filesystem;

const std::string kSources = std::string(QTRADER_FIXTURES_DIR) + "/sources/";
const std::string kReference = std::string(QTRADER_FIXTURES_DIR) + "/reference/";

struct Run {
  int status;
  std::string dir;  // the results folder qtrader printed (stdout, trimmed)
  std::string err;  // stderr
};

// Runs qtrader with `args`, results under a fresh folder named `tag`.
Run run_qtrader(const std::string& args, const std::string& tag) {
  const fs::path base = qtrader::test::process_temp_dir() / tag;
  const fs::path err = qtrader::test::process_temp_dir() / (tag + ".stderr");
  const auto r = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " " + args + " --output " +
                                          base.string() + " 2>" + err.string());
  std::string dir = r.out;
  while (!dir.empty() && dir.back() == '\n') dir.pop_back();
  return {r.status, dir, file_text(err)};
}

const char* kBbbWarning =
    "BBB: data ends early: 2024-01-02 .. 2024-01-09 of the run's 2024-01-02 .. 2024-01-15; a "
    "position in it stays marked at its last close (data.stale_policy: keep)";

void check_bbb_coverage(const Run& run) {
  const auto summary = nlohmann::json::parse(file_text(fs::path(run.dir) / "summary.json"));
  CHECK(summary.at("partial_coverage") ==
        nlohmann::json::parse(R"([{"symbol": "BBB", "first_bar": "2024-01-02",
                                   "last_bar": "2024-01-09", "starts_late": false,
                                   "ends_early": true}])"));
  CHECK(summary.at("stale_policy") == "keep");
  CHECK_THAT(run.err, Catch::Contains(std::string("W ") + kBbbWarning + "\n"));
  CHECK_THAT(file_text(fs::path(run.dir) / "run.log"), Catch::Contains(std::string(" warning ") + kBbbWarning + "\n"));
}

}  // namespace

TEST_CASE("a backtest with its source inline runs without --system, an early end is warned about",
          "[cli][sources][coverage]") {
  const Run run = run_qtrader("run " + kSources + "inline.yaml", "inline");
  INFO(run.err);
  REQUIRE(run.status == 0);
  check_bbb_coverage(run);
  // Bought on the first bar, filled on the second: 10 AAA and 10 BBB.
  const auto summary = nlohmann::json::parse(file_text(fs::path(run.dir) / "summary.json"));
  CHECK(summary.at("bars_processed") == 16);
  CHECK(summary.at("open_positions").size() == 2);
}

TEST_CASE("an inline source wins over data_sources.yaml's source of that name", "[cli][sources]") {
  const Run run = run_qtrader("run " + kSources + "shadow.yaml --system " +
                                  std::string(QTRADER_FIXTURES_DIR) + "/cli/system.yaml",
                              "shadow");
  INFO(run.err);
  REQUIRE(run.status == 0);
  const auto summary = nlohmann::json::parse(file_text(fs::path(run.dir) / "summary.json"));
  CHECK(summary.at("bars_processed") == 10);  // AAA of own_data, not the sample data
  CHECK(summary.at("partial_coverage").empty());
}

TEST_CASE("run --data FOLDER: a backtest without data: on a folder of files", "[cli][sources]") {
  const Run run = run_qtrader("run " + kSources + "no_data.yaml --data " + kSources + "own_data",
                              "data-dir");
  INFO(run.err);
  REQUIRE(run.status == 0);
  check_bbb_coverage(run);
  const Run missing = run_qtrader("run " + kSources + "no_data.yaml", "no-data");
  CHECK(missing.status == 2);
  CHECK(missing.err == "error: " + kSources +
                           "no_data.yaml:0: key 'data.sources': no data sources: list them under "
                           "data: sources:, or run with --data DIR\n");
}

TEST_CASE("the reference system file and backtest run as written", "[cli][reference]") {
  const Run run = run_qtrader("run " + kReference + "backtest.yaml --system " + kReference +
                                  "system.yaml",
                              "reference");
  INFO(run.err);
  REQUIRE(run.status == 0);
  // timestamp_format names the run folder; organize_by_date is off.
  const std::string name = fs::path(run.dir).filename().string();
  CHECK(name.size() == 15);
  CHECK(name[8] == '_');
  // file_level WARNING: run.log holds no info line (stderr, at INFO, does).
  CHECK_THAT(run.err, Catch::Contains("I backtest "));
  CHECK(fs::exists(fs::path(run.dir) / "run.log"));
  CHECK_THAT(file_text(fs::path(run.dir) / "run.log"), !Catch::Contains(" info "));
}

// A FIFO blocks its reader until a writer comes and /dev/zero never ends: both
// are refused by name before they are opened (issue #14).
TEST_CASE("a data file or backtest that is not a regular file is refused by name, exit 2",
          "[cli][hardening]") {
  const qtrader::test::TempDir dir("fifo");
  REQUIRE(::mkfifo((dir / "ORCL.csv").c_str(), 0600) == 0);
  const std::string bin = std::string("timeout 30 ") + QTRADER_BINARY;
  auto r = qtrader::test::run_shell(bin + " run " + std::string(QTRADER_FIXTURES_DIR) +
                                    "/golden/orcl.yaml --system " + std::string(QTRADER_FIXTURES_DIR) +
                                    "/cli/system.yaml --data " + dir.str() + " --output " +
                                    (dir / "out").string() + " 2>&1");
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains((dir / "ORCL.csv").string() + ", is a FIFO, not a regular file"));
  r = qtrader::test::run_shell(bin + " run /dev/zero --output " + (dir / "out").string() + " 2>&1");
  CHECK(r.status == 2);
  CHECK_THAT(r.out, Catch::Contains("/dev/zero"));
  CHECK_THAT(r.out, Catch::Contains("is a device, not a regular file"));
  CHECK_FALSE(std::filesystem::exists(dir / "out"));
}
