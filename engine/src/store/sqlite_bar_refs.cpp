#include "store/sqlite_bar_refs.hpp"

#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <stdexcept>


namespace qtrader {

namespace {

void check(sqlite3* db, int rc) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE) throw SQLite::Exception(db, rc);
}

void bind_text(sqlite3_stmt* stmt, int index, const std::string& text) {
  sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

}  // namespace

SqliteBarRefs::SqliteBarRefs(sqlite3* db, const SymbolTable& symbols,
                             std::vector<std::optional<BarSource>> sources)
    : db_(db), symbols_(symbols) {
  refs_.resize(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    refs_[i].source = std::move(sources[i]);
    refs_[i].check = bar_check::kSeed;
  }
  check(db_, sqlite3_exec(db_,
                          "CREATE TABLE IF NOT EXISTS bar_sources ("
                          " symbol_id INTEGER PRIMARY KEY, symbol TEXT NOT NULL,"
                          " cache_file TEXT NOT NULL, data_file TEXT NOT NULL,"
                          " content_hash TEXT NOT NULL, config_hash TEXT NOT NULL, source_size INTEGER NOT NULL,"
                          " n INTEGER NOT NULL, first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL,"
                          " check_hash TEXT NOT NULL);"
                          "CREATE TABLE IF NOT EXISTS bar_slices ("
                          " first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL,"
                          " ts INTEGER NOT NULL, n INTEGER NOT NULL);",
                          nullptr, nullptr, nullptr));
  check(db_, sqlite3_prepare_v2(db_,
                                "INSERT OR REPLACE INTO bar_sources(symbol_id, symbol, cache_file, data_file,"
                                " content_hash, config_hash, source_size, n, first_ts, last_ts, check_hash)"
                                " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                                -1, &insert_source_, nullptr));
  check(db_, sqlite3_prepare_v2(db_, "INSERT INTO bar_slices(first_seq, last_seq, ts, n) VALUES (?,?,?,?)", -1,
                                &insert_slice_, nullptr));
}

SqliteBarRefs::~SqliteBarRefs() {
  sqlite3_finalize(insert_source_);
  sqlite3_finalize(insert_slice_);
}

void SqliteBarRefs::write_slice() {
  sqlite3_stmt* stmt = insert_slice_;
  sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(slice_.first_seq));
  sqlite3_bind_int64(stmt, 2, static_cast<sqlite3_int64>(slice_.last_seq));
  sqlite3_bind_int64(stmt, 3, slice_.ts);
  sqlite3_bind_int64(stmt, 4, static_cast<sqlite3_int64>(slice_.n));
  const int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  check(db_, rc);
  slice_.n = 0;
}

void SqliteBarRefs::write_pending() {
  if (slice_.n != 0) write_slice();  // the timestamp's later bars start a slice of their own
  for (SymbolId s : dirty_) {
    Ref& r = refs_[s];
    const BarSource& src = *r.source;
    sqlite3_stmt* stmt = insert_source_;
    sqlite3_bind_int64(stmt, 1, s);
    bind_text(stmt, 2, symbols_.name(s));
    bind_text(stmt, 3, src.cache_file);
    bind_text(stmt, 4, src.data_file);
    bind_text(stmt, 5, fmt::format("{:016x}", src.content_hash));
    bind_text(stmt, 6, fmt::format("{:016x}", src.config_hash));
    sqlite3_bind_int64(stmt, 7, static_cast<sqlite3_int64>(src.source_size));
    sqlite3_bind_int64(stmt, 8, static_cast<sqlite3_int64>(r.n));
    sqlite3_bind_int64(stmt, 9, r.first_ts);
    sqlite3_bind_int64(stmt, 10, r.last_ts);
    bind_text(stmt, 11, fmt::format("{:016x}", r.check));
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    check(db_, rc);
    r.dirty = false;
  }
  dirty_.clear();
}

std::string SqliteBarRefs::snapshot() const {
  nlohmann::json rows = nlohmann::json::array();
  for (SymbolId s = 0; s < refs_.size(); ++s) {
    const Ref& r = refs_[s];
    if (r.n == 0) continue;
    rows.push_back({{"symbol_id", s}, {"content_hash", r.source->content_hash}, {"n", r.n},
                    {"first_ts", r.first_ts}, {"last_ts", r.last_ts}, {"check", r.check}});
  }
  return rows.dump();
}

void SqliteBarRefs::restore(std::string_view text) {
  for (Ref& r : refs_) {
    r.n = 0;
    r.first_ts = r.last_ts = 0;
    r.check = bar_check::kSeed;
    r.dirty = false;
  }
  dirty_.clear();
  slice_ = {};
  const nlohmann::json rows = text.empty() ? nlohmann::json::array() : nlohmann::json::parse(text);
  for (const nlohmann::json& row : rows) {
    const auto s = row.at("symbol_id").get<SymbolId>();
    const auto hash = row.at("content_hash").get<std::uint64_t>();
    if (s >= refs_.size() || !refs_[s].source || refs_[s].source->content_hash != hash)
      throw std::runtime_error(fmt::format(
          "cannot resume: the bars of {} that the checkpoint keeps by reference (bar cache content hash {:016x}) "
          "no longer come from that bar cache file; rerun it with qtrader run",
          s < symbols_.size() ? symbols_.name(s) : std::to_string(s), hash));
    Ref& r = refs_[s];
    r.n = row.at("n").get<std::uint64_t>();
    r.first_ts = row.at("first_ts").get<Timestamp>();
    r.last_ts = row.at("last_ts").get<Timestamp>();
    r.check = row.at("check").get<std::uint64_t>();
    r.dirty = true;
    dirty_.push_back(s);
  }
  check(db_, sqlite3_exec(db_, "DELETE FROM bar_sources", nullptr, nullptr, nullptr));
}

}  // namespace qtrader
