// The compact events.sqlite (output.event_store.form: compact, the default):
// bars kept by reference to their bar cache files and events behind a view
// read back exactly as the full form's copy; a cache file that is gone or
// changed is an error naming it and its hash, never other bars; and the
// compact form's bars cost a few bytes each.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>

#include "engine/replay.hpp"
#include "expect_error.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"
#include "store/bar_refs.hpp"
#include "store/bar_rows.hpp"
#include "store/event_export.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
namespace fs = std::filesystem;

namespace {

// The README's sample backtest (3 symbols, 1999-2014: 12,036 bars) with
// events.sqlite in `form`, the bar cache in `cache`.
std::string run_sample(const test::TempDir& dir, const std::string& form, const std::string& cache) {
  const std::string fixtures = QTRADER_FIXTURES_DIR;
  const fs::path system = dir / ("system_" + form + ".yaml");
  std::ofstream(system) << "output:\n  event_store: {backend: sqlite, filename: events.sqlite, form: " << form
                        << "}\n  organize_by_date: false\nlogging: {level: warn, file: false}\n"
                        << "data:\n  sources_config: " << fixtures << "/golden/data_sources.yaml\n"
                        << "  bar_cache: {dir: " << cache << "}\n";
  const fs::path backtest = dir / "sample.yaml";
  std::ofstream(backtest) << "start_date: 1999-01-22\nend_date: 2014-12-31\ninitial_equity: 100000\n"
                          << "data:\n  sources: [{name: sample, universe: [ORCL, NVDA, YHOO]}]\n"
                          << "strategies:\n  - {strategy_id: s, name: sma_crossover, universe: [ORCL, NVDA, YHOO]}\n"
                          << "risk_policy: {name: fixed_quantity, config: {quantity: 100}}\n";
  EngineOptions eo;
  eo.system_config = system.string();
  Engine engine(eo);
  RunOptions ro;
  ro.output_dir = (dir / ("results_" + form)).string();
  ro.quiet = true;
  ro.report = false;
  return engine.run(backtest.string(), ro).results_dir;
}

std::string exported(const std::string& run_dir) {
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  contracts::export_events(run_dir + "/events.sqlite", {}, contracts::ExportFormat::Jsonl, f);
  std::string text(static_cast<std::size_t>(std::ftell(f)), '\0');
  std::rewind(f);
  REQUIRE(std::fread(text.data(), 1, text.size(), f) == text.size());
  std::fclose(f);
  return text;
}

// Event ids, correlation and causation ids hash the run's input files, which
// differ by the form line of system.yaml; everything else must not.
std::string without_ids(const std::string& text) {
  static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  return std::regex_replace(text, uuid, "U");
}

std::string rows(const std::string& run_dir, const std::string& sql) {
  SQLite::Database db(run_dir + "/events.sqlite", SQLite::OPEN_READONLY);
  SQLite::Statement q(db, sql);
  std::string out;
  while (q.executeStep()) {
    for (int c = 0; c < q.getColumnCount(); ++c) out += q.getColumn(c).getString() + "|";
    out += "\n";
  }
  return out;
}

std::int64_t scalar(const std::string& run_dir, const std::string& sql) {
  SQLite::Database db(run_dir + "/events.sqlite", SQLite::OPEN_READONLY);
  return db.execAndGet(sql).getInt64();
}

// XDG_CACHE_HOME pointed at an empty folder while the object lives, so a
// reader finds no second copy of a cache file in the per-user folder.
class NoUserCache {
 public:
  explicit NoUserCache(const fs::path& empty) {
    if (const char* v = std::getenv("XDG_CACHE_HOME")) old_ = v;
    fs::create_directories(empty);
    setenv("XDG_CACHE_HOME", empty.c_str(), 1);
  }
  ~NoUserCache() {
    if (old_.empty())
      unsetenv("XDG_CACHE_HOME");
    else
      setenv("XDG_CACHE_HOME", old_.c_str(), 1);
  }

 private:
  std::string old_;
};

}  // namespace

TEST_CASE("a compact events.sqlite reads back the full copy's events exactly", "[store][bar_refs]") {
  const test::TempDir dir("bar-refs");
  const std::string cache = (dir / "cache").string();
  const std::string compact = run_sample(dir, "compact", cache);
  const std::string full = run_sample(dir, "full", cache);

  // Bars by reference: three sources, one slice per timestamp, no chunk.
  CHECK(scalar(compact, "SELECT COUNT(*) FROM bar_sources") == 3);
  CHECK(scalar(compact, "SELECT SUM(n) FROM bar_sources") == 12036);
  CHECK(scalar(compact, "SELECT SUM(n) FROM bar_slices") == 12036);
  CHECK(scalar(compact, "SELECT COUNT(*) FROM bars") == 0);
  CHECK(scalar(full, "SELECT SUM(n) FROM bars") == 12036);

  // `qtrader events`: the same lines but for the ids that hash the input files.
  const std::string compact_events = exported(compact);
  CHECK(std::count(compact_events.begin(), compact_events.end(), '\n') == 26382);
  CHECK(without_ids(compact_events) == without_ids(exported(full)));

  // The `events` view reads exactly as the full form's table.
  const std::string all = "SELECT seq, ts, time, type, strategy_id, symbol, data FROM events ORDER BY seq";
  CHECK(rows(compact, all) == rows(full, all));
  CHECK(rows(compact, "SELECT time, symbol, json_extract(data, '$.price') FROM events WHERE type = 'fill'") ==
        rows(full, "SELECT time, symbol, json_extract(data, '$.price') FROM events WHERE type = 'fill'"));

  // The report's reader: the same symbols and prices (seq 0 by reference).
  {
    SQLite::Database c(compact + "/events.sqlite", SQLite::OPEN_READONLY);
    SQLite::Database f(full + "/events.sqlite", SQLite::OPEN_READONLY);
    REQUIRE(bar_rows::symbols(c) == std::vector<std::string>{"ORCL", "NVDA", "YHOO"});
    CHECK(bar_rows::symbols(f) == bar_rows::symbols(c));
    for (const std::string symbol : {"ORCL", "NVDA", "YHOO"}) {
      const auto by_ref = bar_rows::read(c, symbol), copied = bar_rows::read(f, symbol);
      REQUIRE(by_ref.size() == copied.size());
      std::size_t differ = 0;
      for (std::size_t i = 0; i < copied.size(); ++i) {
        const auto &a = by_ref[i], &b = copied[i];
        differ += a.seq != 0 || a.ts != b.ts || std::memcmp(&a.open, &b.open, 6 * sizeof(double)) != 0;
      }
      CHECK(differ == 0);
    }
  }

  // Replay rebuilds every results file from the compact store.
  const ReplayOutcome replayed = replay_run(compact);
  INFO(replayed.report);
  CHECK(replayed.identical);

  // --copy-bars: the same file with its bars copied exports byte for byte the
  // same, and the `bar_rows` SQL view shows every bar.
  const fs::path copied_dir = dir / "copied";
  fs::create_directories(copied_dir);
  for (const auto& name : {"events.sqlite", "events.sqlite-wal", "events.sqlite-shm"})
    if (fs::exists(fs::path(compact) / name)) fs::copy_file(fs::path(compact) / name, copied_dir / name);
  CHECK(bar_refs::copy_into_store((copied_dir / "events.sqlite").string()) == 12036);
  CHECK(exported(copied_dir.string()) == compact_events);
  CHECK(scalar(copied_dir.string(), "SELECT COUNT(*) FROM bar_rows") == 12036);
  CHECK(rows(copied_dir.string(), "SELECT seq, symbol, ts, open, close FROM bar_rows ORDER BY seq") ==
        rows(full, "SELECT seq, symbol, ts, open, close FROM bar_rows ORDER BY seq"));
  CHECK(scalar(copied_dir.string(), "SELECT COUNT(*) FROM sqlite_master WHERE name = 'bar_sources'") == 0);
}

TEST_CASE("a compact store's bars cost a few bytes each", "[store][bar_refs]") {
  const test::TempDir dir("bar-refs-size");
  const std::string cache = (dir / "cache").string();
  const std::string compact = run_sample(dir, "compact", cache);
  const std::string full = run_sample(dir, "full", cache);
  // Pages of each form's bar tables (dbstat), per bar: 12,036 bars of 3
  // symbols, so one slice row holds 3 bars (a 1000-symbol universe: 1000).
  const auto bar_bytes = [](const std::string& run, const char* tables) {
    return scalar(run, std::string("SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name IN (") + tables + ")");
  };
  const auto by_ref = bar_bytes(compact, "'bars', 'bars_by_symbol', 'bar_sources', 'bar_slices'");
  const auto copied = bar_bytes(full, "'bars', 'bars_by_symbol'");
  INFO("compact " << by_ref << " bytes, full " << copied << " bytes");
  CHECK(by_ref <= 12036 * 10);   // <= 10 bytes a bar
  CHECK(copied >= 12036 * 64);   // 8 words a bar copied
  // The whole file: the events' short keys and shared times as well.
  const auto compact_size = fs::file_size(fs::path(compact) / "events.sqlite");
  const auto full_size = fs::file_size(fs::path(full) / "events.sqlite");
  INFO("files: compact " << compact_size << ", full " << full_size);
  CHECK(compact_size * 10 <= full_size * 6);
}

TEST_CASE("a bar cache file that is gone or changed is an error naming it and its hash", "[store][bar_refs]") {
  const test::TempDir dir("bar-refs-gone");
  const fs::path cache = dir / "cache";
  const std::string compact = run_sample(dir, "compact", cache.string());
  const NoUserCache no_user_cache(dir / "xdg");
  const std::string store = compact + "/events.sqlite";
  std::string orcl_file, orcl_hash;
  {
    SQLite::Database db(store, SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT cache_file, content_hash FROM bar_sources WHERE symbol = 'ORCL'");
    REQUIRE(q.executeStep());
    orcl_file = q.getColumn(0).getString();
    orcl_hash = q.getColumn(1).getString();
  }
  REQUIRE(fs::path(orcl_file).parent_path() == fs::absolute(cache).lexically_normal());
  REQUIRE(orcl_hash.size() == 16);
  const std::string data_file = fs::absolute(fs::path(QTRADER_FIXTURES_DIR) / "../../data/sample/ORCL.csv")
                                    .lexically_normal()
                                    .string();
  const std::string before = exported(compact);

  SECTION("gone") {
    fs::remove(orcl_file);
    const auto e = test::expect_error<DataError>([&] { exported(compact); });
    CHECK(e.file() == store);
    CHECK(e.reason() == "bars of ORCL: the bar cache file " + orcl_file + " (content hash " + orcl_hash + " of " +
                            data_file +
                            ") is gone; a run over the unchanged data file remakes it (or keep bars in the store: "
                            "output.event_store.form: full)");
    CHECK_THROWS_AS(replay_run(compact), DataError);
  }
  SECTION("changed") {
    {
      std::fstream f(orcl_file, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(200);
      f.put('X');  // one byte of one price
    }
    const auto e = test::expect_error<DataError>([&] { exported(compact); });
    CHECK(e.reason() == "bars of ORCL: the bar cache file " + orcl_file + " (content hash " + orcl_hash + " of " +
                            data_file +
                            ") no longer holds those bars (changed or damaged); a run over the unchanged data file "
                            "remakes it");
    SQLite::Database db(store, SQLite::OPEN_READONLY);
    CHECK_THROWS_AS(bar_rows::read(db, "ORCL"), DataError);
  }
  SECTION("remade by a later run") {
    fs::remove(orcl_file);
    run_sample(dir, "compact", cache.string());  // the same data file: the same cache file name
    CHECK(fs::exists(orcl_file));
    CHECK(exported(compact) == before);
  }
}
