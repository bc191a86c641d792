// One `qtrader serve` in a temporary folder, with the scripts and system of
// tests/fixtures/cli and the backtests of tests/fixtures/serve.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "file_text.hpp"
#include "serve_client.hpp"
#include "serve_process.hpp"
#include "temp_dir.hpp"

namespace qtrader::test {

inline std::string fixture(const std::string& rel) { return std::string(QTRADER_FIXTURES_DIR) + "/" + rel; }

inline std::vector<std::string> serve_args(const TempDir& dir, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--results",     (dir / "results").string(), "--system", fixture("cli/system.yaml"),
                                "--script-path", fixture("cli/scripts")};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// ORCL 2010-01-04 .. 2012-12-31: 1092 days of simulated time.
constexpr double kOrclSimSeconds = 1092.0 * 86400.0;
// An acceleration that makes that span last `seconds` of wall time.
inline double lasting(double seconds) { return kOrclSimSeconds / seconds; }

// POSTs the backtest file's text ({"backtest": YAML}); the session id.
inline std::string start_session(unsigned short port, const std::string& backtest_file, double acceleration = 0) {
  const nlohmann::json body{{"backtest", file_text(backtest_file)}, {"acceleration_factor", acceleration}};
  const HttpReply r = http_post(port, "/api/backtest/start", body.dump());
  REQUIRE(r.status == 200);
  const auto j = r.json();
  REQUIRE(j["status"] == "started");
  return j["session_id"].get<std::string>();
}

inline nlohmann::json session(unsigned short port, const std::string& id) {
  const HttpReply r = http_get(port, "/api/backtest/sessions/" + id);
  REQUIRE(r.status == 200);
  return r.json();
}

// Waits (at most `seconds`) until no process mentions the test's folder.
inline bool no_process_left(const TempDir& dir, double seconds = 5) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!processes_mentioning(dir.str()).empty()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

}  // namespace qtrader::test
