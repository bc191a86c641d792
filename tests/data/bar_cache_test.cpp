// open_bar_stream through the binary bar cache: the same bars, bit for bit, as
// open_csv_stream; cache files keyed by content and source settings; bad or
// stale cache files never trusted; bad CSV rows reported exactly as without it.
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <bit>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "data/bar_cache.hpp"
#include "data/xxh64.hpp"
#include "data_test_support.hpp"
#include "file_text.hpp"

namespace fs = std::filesystem;
using namespace qtrader;
using namespace qtrader::test;

using qtrader::test::file_text;

namespace {

// A fresh folder per test (cache folder and data copies), removed at the end.
class FreshDir {
 public:
  FreshDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("qtrader_bar_cache_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~FreshDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

BarCacheConfig cache_in(const std::string& dir) {
  BarCacheConfig c;
  c.enabled = true;
  c.dir = dir;
  return c;
}

std::vector<Bar> read_cached(const DataSourceConfig& source, const std::string& file,
                             const BarCacheConfig& cache, Timestamp start = kNoStart,
                             Timestamp end = kNoEnd, SymbolId symbol = 0) {
  auto stream = open_bar_stream(source, file, symbol, start, end, cache);
  return read_all(*stream);
}

// Bit-for-bit equality of every field (NaN adjusted closes included).
bool same_bits(const std::vector<Bar>& a, const std::vector<Bar>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto bits = [](double d) { return std::bit_cast<std::uint64_t>(d); };
    const Bar &x = a[i], &y = b[i];
    if (x.ts != y.ts || x.symbol != y.symbol || bits(x.open) != bits(y.open) ||
        bits(x.high) != bits(y.high) || bits(x.low) != bits(y.low) ||
        bits(x.close) != bits(y.close) || bits(x.volume) != bits(y.volume) ||
        bits(x.adj_close) != bits(y.adj_close))
      return false;
  }
  return true;
}

// The names in the cache folder `dir` (cache files, temporary files, the
// paths/ folder of content-hash entries), sorted.
std::vector<std::string> cache_files(const std::string& dir) {
  std::vector<std::string> names;
  if (!fs::exists(dir)) return names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Sets a file's modification time an hour (plus `seconds`) in the past: old
// enough for its content hash to be recorded (not "racily clean").
void age(const std::string& path, int seconds = 0) {
  fs::last_write_time(path, fs::file_time_type::clock::now() - std::chrono::hours(1) +
                                std::chrono::seconds(seconds));
}

}  // namespace

TEST_CASE("xxh64 matches libxxhash", "[data][bar_cache]") {
  using data_detail::xxh64;
  // Reference values from the system's libxxhash.so.0 (0.8.1), XXH64 seed 0.
  CHECK(xxh64("") == 0xef46db3751d8e999ULL);
  CHECK(xxh64("a") == 0xd24ec4f1a98c6e5bULL);
  CHECK(xxh64("abc") == 0x44bc2cf5ad770999ULL);
  const std::string text =
      "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ!";
  REQUIRE(text.size() == 73);
  CHECK(xxh64(text) == 0x59958a6b5f12dbc1ULL);
  CHECK(data_detail::xxh64_file(kSampleDir + "ORCL.csv") == 0x82d1e4c90a63c564ULL);
  CHECK(!data_detail::xxh64_file(kSampleDir + "NOPE.csv"));
}

TEST_CASE("bar cache: bars are bit-identical to the CSV's, made and reused",
          "[data][bar_cache]") {
  const FreshDir tmp;
  const auto cache = cache_in(tmp / "cache");
  for (const char* symbol : {"ORCL", "YHOO", "NVDA"}) {
    for (const char* mode : {"raw", "adjusted"}) {
      const auto source = source_with("yahoo", mode);
      const std::string file = kSampleDir + symbol + ".csv";
      const auto all = read_file(source, file, kNoStart, kNoEnd, 7);
      REQUIRE(all.size() > 4000);
      const Timestamp first = all.front().ts, last = all.back().ts, mid = all[all.size() / 2].ts;
      const std::vector<std::pair<Timestamp, Timestamp>> windows = {
          {kNoStart, kNoEnd},                 // everything
          {first, first},                     // the first bar alone
          {last, last},                       // the last bar alone
          {mid, mid},                         // end on a day boundary: that day included
          {kNoStart, mid - 1},                // ... and the nanosecond before it excludes it
          {mid + 1, kNoEnd},                  // start just after a bar
          {day("2000-01-01"), day("2000-01-02")},  // a weekend: empty
          {last + kNanosPerDay, kNoEnd},      // after the last bar: empty
          {kNoStart, first - 1},              // before the first bar: empty
          {mid, first},                       // start after end: empty
      };
      for (int pass = 0; pass < 2; ++pass) {  // pass 0 may make the file, pass 1 reads it
        for (const auto& [start, end] : windows) {
          INFO(symbol << " " << mode << " pass " << pass << " [" << start << ", " << end << "]");
          const auto csv = read_file(source, file, start, end, 7);
          CHECK(same_bits(read_cached(source, file, cache, start, end, 7), csv));
        }
      }
      CHECK(same_bits(read_cached(source, file, cache, kNoStart, kNoEnd, 7), all));
    }
  }
  // One file per (data file, price mode), nothing else (no temporary files left).
  const auto files = cache_files(tmp / "cache");
  CHECK(std::count_if(files.begin(), files.end(),
                      [](const std::string& f) { return f.ends_with(".bars"); }) == 6);
  CHECK(files.size() == 7);  // and the paths/ folder of content-hash entries
}

TEST_CASE("bar cache: a file is named by content hash and source settings", "[data][bar_cache]") {
  const FreshDir tmp;
  const auto cache = cache_in(tmp / "cache");
  const std::string orcl = kSampleDir + "ORCL.csv";
  read_cached(source_with("yahoo", "raw"), orcl, cache);
  read_cached(source_with("yahoo", "adjusted"), orcl, cache);
  const auto files = cache_files(tmp / "cache");
  REQUIRE(files.size() == 3);
  // Both start with ORCL.csv's XXH64; they differ in the settings' hash.
  CHECK(files[0].starts_with("82d1e4c90a63c564-"));
  CHECK(files[1].starts_with("82d1e4c90a63c564-"));
  CHECK(files[0] != files[1]);
  CHECK(files[2] == "paths");
  // 64-byte header + 56 bytes per row.
  CHECK(fs::file_size(tmp / "cache/" + files[0]) == 72 + 56 * 5036);

  // A copy of the same bytes under another name shares the file.
  fs::copy_file(orcl, tmp / "ORCL_copy.csv");
  read_cached(source_with("yahoo", "raw"), tmp / "ORCL_copy.csv", cache);
  CHECK(cache_files(tmp / "cache").size() == 3);
}

TEST_CASE("bar cache: an edited file is hashed and cached again, a touched one is not re-made",
          "[data][bar_cache]") {
  const FreshDir tmp;
  const auto cache = cache_in(tmp / "cache");
  const auto source = source_with("yahoo");
  const std::string file = tmp / "ORCL.csv";
  std::string bytes = file_text(kSampleDir + "ORCL.csv");
  write_file(file, bytes);
  age(file);
  CHECK(same_bits(read_cached(source, file, cache), read_file(source, file)));
  // No paths/ entry: the change time is seconds old, too recent to trust.
  const auto files = cache_files(tmp / "cache");
  REQUIRE(files.size() == 1);
  const std::string made = tmp / "cache/" + files[0];
  const auto inode = [](const std::string& p) {
    struct stat s {};
    REQUIRE(::stat(p.c_str(), &s) == 0);
    return s.st_ino;
  };
  const auto made_inode = inode(made);

  // Touched, same bytes: re-hashed to the same content hash, the file reused.
  age(file, 60);
  CHECK(same_bits(read_cached(source, file, cache), read_file(source, file)));
  CHECK(cache_files(tmp / "cache") == files);
  CHECK(inode(made) == made_inode);  // not written again (a rewrite renames a new file in)

  // One digit changed (same size), mtime set back to the same value: the
  // change time still differs, so the file is hashed again and cached anew.
  const auto mtime = fs::last_write_time(file);
  const auto at = bytes.find("1995-01-05,2.141975,");  // that day's open
  REQUIRE(at != std::string::npos);
  bytes[at + 18] = '9';
  write_file(file, bytes);
  fs::last_write_time(file, mtime);
  const auto edited = read_cached(source, file, cache);
  CHECK(same_bits(edited, read_file(source, file)));
  CHECK(edited[2].open == 2.141979);
  CHECK(cache_files(tmp / "cache").size() == 2);  // the old and the new content
}

TEST_CASE("bar cache: a file's recorded content hash is trusted while its stat data match",
          "[data][bar_cache]") {
  const FreshDir tmp;
  const auto cache = cache_in(tmp / "cache");
  const auto source = source_with("yahoo");
  const std::string file = kSampleDir + "ORCL.csv";  // unchanged for far longer than 2 s
  read_cached(source, file, cache);
  const auto entries = cache_files(tmp / "cache/paths");
  REQUIRE(entries.size() == 1);
  const std::string entry = tmp / "cache/paths/" + entries[0];
  std::string text = file_text(entry);
  const auto at = text.find(" 82d1e4c90a63c564\n");
  REQUIRE(at != std::string::npos);
  // A forged hash in the entry is believed (the file is not read to check it):
  // the next run looks for, and makes, a cache file under that name.
  text.replace(at + 1, 16, "0123456789abcdef");
  write_file(entry, text);
  CHECK(same_bits(read_cached(source, file, cache), read_file(source, file)));
  const auto files = cache_files(tmp / "cache");
  REQUIRE(files.size() == 3);
  CHECK(files[0].starts_with("0123456789abcdef-"));
  CHECK(files[1].starts_with("82d1e4c90a63c564-"));
}

TEST_CASE("bar cache: a corrupt, truncated or foreign cache file is ignored and rewritten",
          "[data][bar_cache]") {
  const FreshDir tmp;
  const auto cache = cache_in(tmp / "cache");
  const auto source = source_with("yahoo", "adjusted");
  const std::string file = kSampleDir + "NVDA.csv";
  const auto expected = read_file(source, file);
  read_cached(source, file, cache);
  const auto files = cache_files(tmp / "cache");
  REQUIRE(files.size() == 2);
  const std::string made = tmp / "cache/" + files[0];
  const std::string good = file_text(made);

  const auto damaged = [&](std::string bytes) {
    write_file(made, bytes);
    CHECK(same_bits(read_cached(source, file, cache), expected));
    CHECK(file_text(made) == good);  // rewritten whole
  };
  damaged(good.substr(0, good.size() - 56));       // a row short
  damaged(good.substr(0, good.size() - 1));        // torn inside a row
  damaged(good.substr(0, 40));                     // torn inside the header
  damaged("");                                     // empty
  damaged(good + std::string(56, '\0'));           // a row too many
  std::string version = good;
  version[8] = 1;                                  // an earlier format version
  damaged(version);
  std::string magic = good;
  magic[0] = 'X';
  damaged(magic);
  std::string content = good;
  content[16] ^= 1;                                // another source's content hash
  damaged(content);
  // Flipped bits in the rows (issue #14): the header still matches, the
  // body checksum does not. A price, a timestamp, the last byte.
  for (const std::size_t at : {std::size_t{72 + 8 + 3}, std::size_t{72 + 56 * 100}, good.size() - 1}) {
    INFO("byte " << at);
    std::string flipped = good;
    flipped[at] ^= 0x10;
    damaged(flipped);
  }
  CHECK(cache_files(tmp / "cache") == files);
}

TEST_CASE("bar cache: a bad CSV row is the same DataError and leaves no cache file",
          "[data][bar_cache]") {
  const FreshDir tmp;
  const auto cache = cache_in(tmp / "cache");
  const auto source = source_with("yahoo");
  for (const char* name : {"high_below_low.csv", "duplicate_date.csv", "nan_price.csv",
                           "missing_header.csv", "too_few_columns.csv", "empty.csv"}) {
    INFO(name);
    const std::string file = kBadDir + name;
    const DataError csv = expect_data_error([&] { read_file(source, file); });
    const DataError cached = expect_data_error([&] { read_cached(source, file, cache); });
    CHECK(cached.file() == csv.file());
    CHECK(cached.line() == csv.line());
    CHECK(cached.reason() == csv.reason());
  }
  // A bad row after the run's end date is not an error, with or without the cache.
  const std::string file = kBadDir + "high_below_low.csv";
  const auto before = read_cached(source, file, cache, kNoStart, day("1995-01-04"));
  CHECK(same_bits(before, read_file(source, file, kNoStart, day("1995-01-04"))));
  CHECK(before.size() == 2);
  // No cache file, and no temporary file left behind.
  for (const auto& f : cache_files(tmp / "cache")) CHECK(f == "paths");
  // A missing file: the CSV reader's own error (line 0).
  const DataError missing =
      expect_data_error([&] { read_cached(source, tmp / "NOPE.csv", cache); });
  CHECK(missing.line() == 0);
  CHECK(missing.file() == tmp / "NOPE.csv");
}

TEST_CASE("bar cache: disabled, or a folder that cannot be made, reads the CSV",
          "[data][bar_cache]") {
  const FreshDir tmp;
  const auto source = source_with("yahoo");
  const std::string file = kSampleDir + "YHOO.csv";
  BarCacheConfig off = cache_in(tmp / "off");
  off.enabled = false;
  CHECK(same_bits(read_cached(source, file, off), read_file(source, file)));
  CHECK(!fs::exists(tmp / "off"));
  write_file(tmp / "a_file", "x");  // a folder cannot be made below a file
  CHECK(same_bits(read_cached(source, file, cache_in(tmp / "a_file/cache")),
                  read_file(source, file)));
}

TEST_CASE("bar cache: intraday bars, whole-day ends and times of day as the CSV",
          "[data][bar_cache]") {
  const FreshDir tmp;
  const auto cache = cache_in(tmp / "cache");
  const std::string file = tmp / "intraday.csv";
  write_file(file, kIntradayCsv);
  const auto src = intraday_source();
  const Timestamp nine_oh_five = (9 * 3600 + 5 * 60) * kNanosPerSecond;
  const std::vector<std::pair<Timestamp, Timestamp>> windows = {
      {day("2006-01-02"), day("2006-01-03")},  // a midnight end takes in its whole day: 4 bars
      {day("2006-01-03") + nine_oh_five, day("2006-01-03") + nine_oh_five},  // one bar
      {day("2006-01-02") + nine_oh_five + 1, day("2006-01-03") + nine_oh_five - 1},  // one bar
      {day("2006-01-04") + nine_oh_five + 1, kNoEnd},  // empty
  };
  const std::vector<std::size_t> sizes = {4, 1, 1, 0};
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t i = 0; i < windows.size(); ++i) {
      INFO("pass " << pass << " window " << i);
      const auto [start, end] = windows[i];
      const auto csv = read_file(src, file, start, end, 3);
      CHECK(csv.size() == sizes[i]);
      CHECK(same_bits(read_cached(src, file, cache, start, end, 3), csv));
    }
}

TEST_CASE("bar cache: the time zone and every dialect setting key their own cache file",
          "[data][bar_cache][dialect]") {
  const FreshDir tmp;
  const auto cache = cache_in(tmp / "cache");
  const std::string dialect_dir = QTRADER_FIXTURES_DIR "/dialect/";
  // One setting changed at a time from the plain source; the bars each reads
  // through the cache are the CSV's, bit for bit (twice: made, then reused).
  const auto base = source_with("yahoo");
  std::vector<std::pair<DataSourceConfig, std::string>> variants;
  variants.emplace_back(base, "ORCL.csv");
  auto v = base;
  v.timezone = "America/New_York";
  variants.emplace_back(v, "ORCL.csv");
  v = base;
  v.quote = '\'';
  variants.emplace_back(v, "ORCL.csv");
  v = base;
  v.date_format = "%Y-%m-%d";
  variants.emplace_back(v, "ORCL.csv");
  v = base;
  v.layout = "custom";
  v.columns = ColumnMap{.date = 0, .time = -1, .open = 1, .high = 2, .low = 3, .close = 4,
                        .adj_close = 5, .volume = 6, .open_interest = -1};
  v.delimiter = ';';
  variants.emplace_back(v, "ORCL_semicolon.csv");
  v = base;
  v.date_format = "epoch_ms";
  variants.emplace_back(v, "ORCL_epoch_ms.csv");
  v = base;
  v.layout = "custom";
  v.columns = ColumnMap{.date = 4, .time = -1, .open = 1, .high = 2, .low = 3, .close = 0,
                        .adj_close = 6, .volume = 5, .open_interest = -1};
  v.delimiter = '\t';
  v.header = false;
  variants.emplace_back(v, "ORCL_noheader.tsv");
  v = base;
  v.time_format = "%H%M";  // no time column: the same bars, still its own key
  variants.emplace_back(v, "ORCL.csv");
  variants.emplace_back(base, "ORCL.csv.gz");

  std::vector<std::string> keys;
  for (const auto& [source, name] : variants) {
    // The gzip copy has the plain source's settings: its content hash tells it apart.
    if (!name.ends_with(".gz")) keys.push_back(bar_shape_key(source));
    for (int pass = 0; pass < 2; ++pass) {
      INFO(name << " " << bar_shape_key(source) << " pass " << pass);
      CHECK(same_bits(read_cached(source, dialect_dir + name, cache),
                      read_file(source, dialect_dir + name)));
    }
  }
  std::sort(keys.begin(), keys.end());
  CHECK(std::adjacent_find(keys.begin(), keys.end()) == keys.end());
  const auto files = cache_files(tmp / "cache");
  CHECK(std::count_if(files.begin(), files.end(),
                      [](const std::string& f) { return f.ends_with(".bars"); }) == 9);
}
