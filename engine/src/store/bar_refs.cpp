#include "store/bar_refs.hpp"

#include <charconv>
#include <filesystem>
#include <limits>
#include <unordered_set>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "data/bar_cache.hpp"
#include "data/bar_cache_file.hpp"
#include "qtrader/errors.hpp"
#include "store/bar_check.hpp"
#include "store/sqlite_bar_chunks.hpp"
#include "store/stored_events.hpp"
#include "store/run_database.hpp"

namespace qtrader::bar_refs {

namespace fs = std::filesystem;

namespace {

std::uint64_t parse_hex(const std::string& store, const std::string& symbol, const std::string& text) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, 16);
  if (ec != std::errc() || end != text.data() + text.size() || text.size() != 16)
    throw DataError(store, 0, fmt::format("bar_sources row of {}: \"{}\" is not 16 hex digits", symbol, text));
  return v;
}

std::string describe(const Source& s) {
  return fmt::format("bars of {}: the bar cache file {} (content hash {:016x} of {})", s.symbol,
                     s.file.cache_file, s.file.content_hash, s.file.data_file);
}

}  // namespace

bool has_refs(SQLite::Database& db) { return db.tableExists("bar_sources"); }

std::vector<Source> sources(SQLite::Database& db) {
  std::vector<Source> out;
  if (!has_refs(db)) return out;
  SQLite::Statement q(db,
                      "SELECT symbol_id, symbol, cache_file, data_file, content_hash, config_hash, source_size,"
                      " n, first_ts, last_ts, check_hash FROM bar_sources ORDER BY symbol_id");
  const std::string store = db.getFilename();
  while (q.executeStep()) {
    Source s;
    s.symbol_id = static_cast<SymbolId>(q.getColumn(0).getInt64());
    s.symbol = q.getColumn(1).getString();
    s.file.cache_file = q.getColumn(2).getString();
    s.file.data_file = q.getColumn(3).getString();
    s.file.content_hash = parse_hex(store, s.symbol, q.getColumn(4).getString());
    s.file.config_hash = parse_hex(store, s.symbol, q.getColumn(5).getString());
    s.file.source_size = static_cast<std::uint64_t>(q.getColumn(6).getInt64());
    const std::int64_t n = q.getColumn(7).getInt64();
    if (n < 0) throw DataError(store, 0, fmt::format("bar_sources row of {}: n = {}", s.symbol, n));
    s.n = static_cast<std::uint64_t>(n);
    s.first_ts = q.getColumn(8).getInt64();
    s.last_ts = q.getColumn(9).getInt64();
    s.check = parse_hex(store, s.symbol, q.getColumn(10).getString());
    out.push_back(std::move(s));
  }
  return out;
}

Reader::Reader(const std::string& store, const Source& source)
    : store_(store), source_(source), check_(bar_check::kSeed) {
  const data_detail::BarCacheKey key{source.file.content_hash, source.file.config_hash, source.file.source_size};
  constexpr Timestamp kAll = std::numeric_limits<Timestamp>::max();
  // The recorded path first; a cache folder moved or reached under another
  // name (XDG_CACHE_HOME) holds the same file name.
  std::vector<std::string> candidates{source.file.cache_file};
  const std::string here = default_bar_cache_dir();
  if (!here.empty()) candidates.push_back((fs::path(here) / fs::path(source.file.cache_file).filename()).string());
  bool exists = false;
  for (const auto& path : candidates) {
    std::error_code ec;
    if (!fs::exists(path, ec)) continue;
    exists = true;
    stream_ = data_detail::open_bar_cache_file(path, key, source.symbol_id, source.first_ts, kAll);
    if (stream_) return;
  }
  if (!exists)
    throw DataError(store_, 0,
                    describe(source) +
                        " is gone; a run over the unchanged data file remakes it (or keep bars in the store: "
                        "output.event_store.form: full)");
  throw DataError(store_, 0,
                  describe(source) +
                      " no longer holds those bars (changed or damaged); a run over the unchanged data file "
                      "remakes it");
}

Reader::~Reader() = default;
Reader::Reader(Reader&&) noexcept = default;

bool Reader::next(bar_rows::StoredBar& out) {
  if (read_ == source_.n) return false;
  Bar b;
  if (!stream_->next(b))
    throw DataError(store_, 0,
                    fmt::format("{} ends after {} of the run's {} bars", describe(source_), read_, source_.n));
  ++read_;
  check_ = bar_check::add(check_, b.ts, b.open, b.high, b.low, b.close, b.volume, b.adj_close);
  if (read_ == source_.n && (b.ts != source_.last_ts || check_ != source_.check))
    throw DataError(store_, 0,
                    fmt::format("{} does not hold the run's bars (check {:016x}, recorded {:016x})",
                                describe(source_), check_, source_.check));
  out = {0, b.ts, b.open, b.high, b.low, b.close, b.volume, b.adj_close};
  return true;
}

std::vector<bar_rows::StoredBar> read(SQLite::Database& db, const Source& source) {
  Reader reader(db.getFilename(), source);
  std::vector<bar_rows::StoredBar> out;
  out.reserve(source.n);
  bar_rows::StoredBar b;
  while (reader.next(b)) out.push_back(b);
  return out;
}

std::uint64_t copy_into_store(const std::string& store) {
  // Read in a snapshot on one connection, written on another: the reader
  // never sees the chunks being added (WAL).
  SQLite::Database in = store::open_run_database(store, SQLite::OPEN_READONLY);
  if (!has_refs(in)) return 0;
  SQLite::Database out = store::open_run_database(store, SQLite::OPEN_READWRITE);
  SymbolTable symbols;
  std::unordered_set<std::string> referenced;
  {
    std::vector<Source> all = sources(in);
    SymbolId top = 0;
    for (const auto& s : all) top = std::max<SymbolId>(top, s.symbol_id + 1);
    std::vector<std::string> names(top);
    for (const auto& s : all) {
      names[s.symbol_id] = s.symbol;
      referenced.insert(s.symbol);
    }
    // Ids without a referenced symbol get names no bar will use.
    for (SymbolId id = 0; id < top; ++id) symbols.intern(names[id].empty() ? fmt::format("\x01{}", id) : names[id]);
  }
  std::uint64_t copied = 0;
  out.exec("BEGIN");
  {
    in.exec("BEGIN");
    SqliteBarChunks chunks(out.getHandle(), symbols);
    StoredEventReader reader(in);
    StoredEvent e;
    while (reader.next(e)) {
      if (!e.is_bar() || !referenced.count(e.symbol)) continue;
      const auto& b = e.bar;
      chunks.add(b.seq, Bar{b.ts, symbols.find(e.symbol), b.open, b.high, b.low, b.close, b.volume, b.adj_close});
      ++copied;
    }
    chunks.write_pending();
    in.exec("COMMIT");
  }
  out.exec("DROP TABLE bar_slices; DROP TABLE bar_sources;");
  out.exec("COMMIT");
  return copied;
}

}  // namespace qtrader::bar_refs
