// `qtrader lib` and libraries in runs, through the real binary: installing
// from a folder and from a local git repository, pins, qtrader.lock, and the
// libraries each run records (docs/libraries.md).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>

#include "file_text.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kExample = std::string(QTRADER_SOURCE_DIR) + "/examples/libraries/bands";
const std::string kSystem = std::string(QTRADER_FIXTURES_DIR) + "/cli/system.yaml";

struct Output {
  int status;
  std::string out;
};

// The command with its own user library folder (XDG_DATA_HOME), run in `cwd`.
Output qtrader_in(const qtrader::test::TempDir& home, const std::string& args, const std::string& cwd = ".") {
  auto r = qtrader::test::run_shell("cd '" + cwd + "' && XDG_DATA_HOME='" + (home / "data").string() + "' " +
                                    QTRADER_BINARY + " " + args + " 2>&1");
  return {r.status, std::move(r.out)};
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// A backtest in `dir` that uses `strategy` and `policy` and pins `pins`.
std::string backtest(const fs::path& dir, const std::string& strategy, const std::string& pins,
                     const std::string& policy = "fixed_quantity") {
  const fs::path path = dir / "bt.yaml";
  write(path, "start_date: 2010-01-01\n"
              "end_date: 2011-12-31\n"
              "libraries: " + pins + "\n"
              "data:\n"
              "  sources:\n"
              "    - name: sample\n"
              "      adapter: csv\n"
              "      path: " + std::string(QTRADER_SOURCE_DIR) + "/data/sample\n"
              "      layout: yahoo\n"
              "      universe: [ORCL]\n"
              "strategies:\n"
              "  - strategy_id: s\n"
              "    name: " + strategy + "\n"
              "    universe: [ORCL]\n"
              "risk_policy:\n"
              "  name: " + policy + "\n");
  return path.string();
}

std::string run_args(const std::string& bt, const qtrader::test::TempDir& home) {
  return "run " + bt + " --system " + kSystem + " --output " + (home / "runs").string() + " --quiet --no-report";
}

std::string last_line(const std::string& s) {
  std::string t = s;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  return t.substr(t.rfind('\n') == std::string::npos ? 0 : t.rfind('\n') + 1);
}

std::string locked_hash(const std::string& lock_text) {
  std::smatch m;
  REQUIRE(std::regex_search(lock_text, m, std::regex("hash: (xxh64:[0-9a-f]{16})")));
  return m[1];
}

}  // namespace

TEST_CASE("lib add, list, info and remove round trip through the user's library folder", "[cli][libraries]") {
  const qtrader::test::TempDir home("libcli");
  auto o = qtrader_in(home, "lib add " + kExample);
  INFO(o.out);
  REQUIRE(o.status == 0);
  const std::string installed = (home / "data/qtrader/libraries/bands").string();
  CHECK(o.out == "installed bands 1.0.0 at " + installed + "\n");
  CHECK(fs::exists(installed + "/boll_mr.lua"));
  CHECK(fs::exists(installed + "/lib/rolling.lua"));

  o = qtrader_in(home, "lib list");
  CHECK(o.status == 0);
  CHECK_THAT(o.out, Catch::Contains("# user libraries (" + (home / "data/qtrader/libraries").string() + ")\n"
                                    "  bands                1.0.0      Bollinger-band mean reversion"));

  o = qtrader_in(home, "lib info bands");
  CHECK(o.status == 0);
  CHECK_THAT(o.out, Catch::Contains("name:        bands\nversion:     1.0.0\n"));
  CHECK_THAT(o.out, Catch::Contains("source:      " + kExample + "\n"));
  CHECK_THAT(o.out, Catch::Contains("strategy:    bands.boll_mr (boll_mr.lua)\n"));
  CHECK_THAT(o.out, Catch::Contains("risk policy: bands.risk.equal_weight (risk/equal_weight.lua)\n"));
  CHECK(std::regex_search(o.out, std::regex("\nhash:        xxh64:[0-9a-f]{16}\n")));

  o = qtrader_in(home, "lib add " + kExample);  // twice: refused, nothing changed
  CHECK(o.status == 1);
  CHECK_THAT(o.out, Catch::Contains("library 'bands' is already installed at " + installed + " (version 1.0.0)"));

  o = qtrader_in(home, "lib remove bands");
  CHECK(o.status == 0);
  CHECK_FALSE(fs::exists(installed));
  o = qtrader_in(home, "lib remove bands");
  CHECK(o.status == 2);
  CHECK_THAT(o.out, Catch::Contains("no library 'bands' is installed"));
  o = qtrader_in(home, "lib info bands");
  CHECK(o.status == 2);
}

TEST_CASE("lib add clones a local git repository at a tag", "[cli][libraries]") {
  const qtrader::test::TempDir home("libgit");
  const fs::path repo = home / "repo";
  fs::create_directories(repo);
  write(repo / "qtrader-lib.yaml", "name: gitlib\nversion: 1.0.0\n");
  write(repo / "hold.lua", "return { name = 'hold', on_bar = function() end }\n");
  const std::string git = "git -C '" + repo.string() + "' -c user.name=t -c user.email=t@t ";
  auto r = qtrader::test::run_shell("git init -q '" + repo.string() + "' && " + git + "add -A && " + git +
                                    "commit -qm one && " + git + "tag v1.0.0 2>&1");
  REQUIRE(r.status == 0);
  write(repo / "qtrader-lib.yaml", "name: gitlib\nversion: 1.1.0\n");  // after the tag
  r = qtrader::test::run_shell(git + "commit -qam two 2>&1");
  REQUIRE(r.status == 0);

  auto o = qtrader_in(home, "lib add --project " + repo.string() + "@v1.0.0", home.str());
  INFO(o.out);
  REQUIRE(o.status == 0);
  const fs::path installed = home / "qtrader_libs/gitlib";
  CHECK(o.out == "installed gitlib 1.0.0 at " + installed.string() + "\n");
  CHECK_FALSE(fs::exists(installed / ".git"));
  CHECK_THAT(qtrader::test::file_text((installed / ".qtrader-install.yaml").string()),
             Catch::Contains("ref: \"v1.0.0\"\ncommit: \""));
  o = qtrader_in(home, "lib info gitlib", home.str());
  CHECK_THAT(o.out, Catch::Contains("installed:   " + installed.string() + " (project)\n"));
  CHECK_THAT(o.out, Catch::Contains("source:      " + repo.string() + "@v1.0.0\n"));

  o = qtrader_in(home, "lib add " + repo.string() + "@no-such-tag", home.str());
  CHECK(o.status == 1);
  CHECK_THAT(o.out, Catch::Contains("git checkout failed"));
}

TEST_CASE("a run records its libraries and refuses one that no longer matches the lock", "[cli][libraries]") {
  const qtrader::test::TempDir home("liblock");
  REQUIRE(qtrader_in(home, "lib add " + kExample).status == 0);
  const std::string bt = backtest(home.path(), "boll_mr", "[bands@^1.0]", "equal_weight");

  auto o = qtrader_in(home, "lib lock " + bt + " --system " + kSystem);
  INFO(o.out);
  REQUIRE(o.status == 0);
  const std::string lock = qtrader::test::file_text((home / "qtrader.lock").string());
  const std::string hash = locked_hash(lock);
  const std::string installed = (home / "data/qtrader/libraries/bands").string();
  CHECK_THAT(lock, Catch::Contains("  - name: bands\n    version: \"1.0.0\"\n    source: \"" + kExample + "\"\n"));

  o = qtrader_in(home, run_args(bt, home));
  REQUIRE(o.status == 0);
  const std::string results = last_line(o.out);
  const std::string summary = qtrader::test::file_text(results + "/summary.json");
  CHECK_THAT(summary, Catch::Contains("\"libraries\": [\n    {\n      \"name\": \"bands\",\n      \"version\": \"1.0.0\",\n"
                                      "      \"hash\": \"" + hash + "\",\n      \"path\": \"" + installed + "\",\n"
                                      "      \"source\": \"" + kExample + "\"\n    }\n  ]"));
  SQLite::Database db(results + "/events.sqlite");
  const std::string recorded = db.execAndGet("SELECT libraries FROM runs").getString();
  CHECK(recorded == "[{\"name\":\"bands\",\"version\":\"1.0.0\",\"hash\":\"" + hash + "\",\"path\":\"" + installed +
                        "\",\"source\":\"" + kExample + "\"}]");

  // An edit to the installed library: refused, naming the library and both hashes.
  std::ofstream(installed + "/boll_mr.lua", std::ios::app) << "-- edited\n";
  o = qtrader_in(home, run_args(bt, home));
  CHECK(o.status == 2);
  CHECK_THAT(o.out, Catch::StartsWith("error: " + (home / "qtrader.lock").string() + ":4: key 'libraries[0].hash': "
                                      "library 'bands' does not match the lock: expected " + hash + " (version 1.0.0), actual xxh64:"));
  CHECK_THAT(o.out, Catch::Contains("run with --allow-unlocked"));
  o = qtrader_in(home, run_args(bt, home) + " --allow-unlocked");
  CHECK(o.status == 0);
  // Locking again accepts the edit.
  REQUIRE(qtrader_in(home, "lib lock " + bt + " --system " + kSystem).status == 0);
  CHECK(locked_hash(qtrader::test::file_text((home / "qtrader.lock").string())) != hash);
  CHECK(qtrader_in(home, run_args(bt, home)).status == 0);
}

TEST_CASE("a pinned library that is missing or out of range is named at its line", "[cli][libraries]") {
  const qtrader::test::TempDir home("libpin");
  REQUIRE(qtrader_in(home, "lib add " + kExample).status == 0);
  std::string bt = backtest(home.path(), "buy_and_hold", "[bandz]");
  auto o = qtrader_in(home, run_args(bt, home));
  CHECK(o.status == 2);
  CHECK_THAT(o.out, Catch::StartsWith("error: " + bt + ":3: key 'libraries[0]': library 'bandz' is not installed"));
  bt = backtest(home.path(), "buy_and_hold", "[bands@^2]");
  o = qtrader_in(home, run_args(bt, home));
  CHECK(o.status == 2);
  CHECK_THAT(o.out, Catch::Contains("bt.yaml:3: key 'libraries[0]': library 'bands' is version 1.0.0 (" +
                                    (home / "data/qtrader/libraries/bands").string() + "), the backtest asks for ^2"));
}

TEST_CASE("a library strategy named like a built-in breaks no run, and its short name is ambiguous", "[cli][libraries]") {
  const qtrader::test::TempDir home("libclash");
  const fs::path clash = home / "clash";
  write(clash / "qtrader-lib.yaml", "name: clash\nversion: 0.1.0\n");
  write(clash / "buy_and_hold.lua", "return { name = 'buy_and_hold', on_bar = function() end }\n");
  REQUIRE(qtrader_in(home, "lib add " + clash.string()).status == 0);
  // A run that does not use it is unaffected; the full name picks either.
  CHECK(qtrader_in(home, run_args(backtest(home.path(), "sma_crossover", "[]"), home)).status == 0);
  CHECK(qtrader_in(home, run_args(backtest(home.path(), "qtrader.buy_and_hold", "[]"), home)).status == 0);
  CHECK(qtrader_in(home, run_args(backtest(home.path(), "clash.buy_and_hold", "[]"), home)).status == 0);
  const std::string bt = backtest(home.path(), "buy_and_hold", "[]");
  const auto o = qtrader_in(home, run_args(bt, home));
  CHECK(o.status == 2);
  CHECK_THAT(o.out, Catch::Contains(bt + ":13: key 'strategies[0].name': strategy name 'buy_and_hold' is ambiguous: it "
                                    "could be clash.buy_and_hold (" + (home / "data/qtrader/libraries/clash/buy_and_hold.lua").string() +
                                    "), qtrader.buy_and_hold ("));
}
