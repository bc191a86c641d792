// Shared by the live tests: the fixture paths and the one results folder a
// session writes under its --output.
#pragma once

#include <filesystem>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>
#include <catch2/catch.hpp>

#include "file_text.hpp"

namespace qtrader::test {

inline std::string live_fixture(const std::string& name) {
  return std::string(QTRADER_FIXTURES_DIR) + "/live/" + name;
}

// "qtrader COMMAND FILE --system live/system.yaml --output OUT ARGS"
inline std::string live_command(const std::string& command, const std::string& file, const std::string& out,
                                const std::string& args = "") {
  return std::string(QTRADER_BINARY) + " " + command + " " + live_fixture(file) + " --system " +
         live_fixture("system.yaml") + " --output " + out + " " + args;
}

// The only folder under `out` (the runs use timestamped folders).
inline std::filesystem::path only_run_in(const std::filesystem::path& out) {
  std::filesystem::path found;
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(out)) {
    found = e.path();
    ++n;
  }
  REQUIRE(n == 1);
  return found;
}

// A query's rows, columns joined by '|', one line each.
inline std::string query_text(const std::filesystem::path& db, const std::string& sql) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(d, sql);
  std::string out;
  while (q.executeStep()) {
    for (int c = 0; c < q.getColumnCount(); ++c) out += (c ? "|" : "") + q.getColumn(c).getString();
    out += "\n";
  }
  return out;
}

// The results a live session and a backtest of the same bars must share byte for byte.
inline void check_same_results(const std::filesystem::path& live_dir, const std::filesystem::path& run_dir) {
  for (const char* f : {"fills.csv", "trades.csv", "equity.csv", "positions.csv"}) {
    INFO(f);
    CHECK(file_text(live_dir / f) == file_text(run_dir / f));
  }
}

}  // namespace qtrader::test
