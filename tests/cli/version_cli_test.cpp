// Every result names the engine that made it, and `qtrader --version` names
// the build: version, commit, build type, LuaJIT and SQLite.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "qtrader/version.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;

const std::string kCli = std::string(QTRADER_FIXTURES_DIR) + "/cli/";
const std::string kSystem = "--system " + kCli + "system.yaml";

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("qtrader --version names version, commit, build type, LuaJIT and SQLite without a subcommand",
          "[cli][version]") {
  const auto r = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " --version 2>&1");
  CHECK(r.status == 0);
  const std::string v(qtrader::version());
  CHECK(v == QTRADER_VERSION_STRING);
  CHECK(r.out.rfind("qtrader " + v + "\n", 0) == 0);
  CHECK_THAT(r.out, Catch::Contains("\ncommit:     " + std::string(qtrader::git_commit()) + " ("));
  CHECK_THAT(r.out, Catch::Contains("\nbuild type: " + std::string(qtrader::build_type()) + "\n"));
  CHECK_THAT(r.out, Catch::Contains("\nLuaJIT:     LuaJIT 2.1"));
  CHECK_THAT(r.out, Catch::Contains("\nSQLite:     3."));
  // Built from this git checkout: a real commit, 12 hex digits.
  CHECK(std::string(qtrader::git_commit()).find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(std::string(qtrader::git_commit()).size() == 12);
}

TEST_CASE("a run names its engine in summary.json, the runs table and the report footer",
          "[cli][version]") {
  const qtrader::test::TempDir tmp("version-run");
  const auto r = qtrader::test::run_shell(std::string(QTRADER_BINARY) + " run " + kCli +
                                          "../golden/orcl.yaml " + kSystem + " --quiet --output " +
                                          tmp.path().string());
  REQUIRE(r.status == 0);
  const fs::path dir = r.out.substr(0, r.out.find('\n'));
  const std::string v(qtrader::version()), commit(qtrader::git_commit());

  const auto summary = nlohmann::json::parse(slurp(dir / "summary.json"));
  CHECK(summary["qtrader_version"] == v);
  CHECK(summary["qtrader_commit"] == commit);

  SQLite::Database db((dir / "events.sqlite").string(), SQLite::OPEN_READONLY);
  CHECK(db.execAndGet("SELECT qtrader_version || ' ' || qtrader_commit FROM runs").getString() ==
        v + " " + commit);

  CHECK_THAT(slurp(dir / "report.html"),
             Catch::Contains("<footer>Written by qtrader " + v + " (commit " + commit + ")</footer>"));
}
