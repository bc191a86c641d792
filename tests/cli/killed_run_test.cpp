// A run killed with SIGKILL mid-way leaves a readable events.sqlite whose
// `runs` row is not `completed`.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <SQLiteCpp/SQLiteCpp.h>

namespace fs = std::filesystem;

TEST_CASE("a run killed with SIGKILL leaves a readable store, status not completed", "[cli][lifecycle]") {
  const std::string cli = std::string(QTRADER_FIXTURES_DIR) + "/cli/";
  const fs::path out = fs::temp_directory_path() / ("qtrader-killed-" + std::to_string(getpid()));
  fs::remove_all(out);
  const std::string out_s = out.string(), system = cli + "system.yaml", backtest = cli + "slow.yaml";

  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    execl(QTRADER_BINARY, QTRADER_BINARY, "run", backtest.c_str(), "--system", system.c_str(),
          "--output", out_s.c_str(), "--quiet", static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFSIGNALED(status));

  fs::path db_path;
  for (const auto& e : fs::recursive_directory_iterator(out))
    if (e.path().filename() == "events.sqlite") db_path = e.path();
  REQUIRE(!db_path.empty());

  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  SQLite::Statement runs(db, "SELECT status, progress, bars FROM runs");
  REQUIRE(runs.executeStep());
  const std::string run_status = runs.getColumn(0).getString();
  CHECK(run_status != "completed");
  CHECK((run_status == "running" || run_status == "started"));
  SQLite::Statement bars(db, "SELECT COUNT(*) FROM events WHERE type = 'bar'");
  REQUIRE(bars.executeStep());
  CHECK(bars.getColumn(0).getInt64() > 0);
  CHECK(bars.getColumn(0).getInt64() < 5036);
  fs::remove_all(out);
}
