// bar_rows reads chunks it did not write: an events.sqlite edited, cut or made
// by hand. A chunk whose arrays disagree with its `n` is a DataError naming
// the chunk, never a read past a BLOB (regressions of fuzz/bar_chunks_fuzzer).
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>

#include "expect_error.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/symbol_table.hpp"
#include "store/bar_rows.hpp"
#include "store/sqlite_bar_chunks.hpp"

using namespace qtrader;

namespace {

// A database with the store's `bars` table and one chunk of symbol AAA whose
// n is `n` and whose eight arrays are each `blob` (nullopt: an integer 7).
SQLite::Database db_with_chunk(std::int64_t n, const std::string* blob) {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  SymbolTable symbols;
  { SqliteBarChunks schema(db.getHandle(), symbols); }
  SQLite::Statement insert(db, "INSERT INTO bars VALUES (1, 2, 'AAA', 0, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, static_cast<std::int64_t>(n));
  for (int c = 2; c <= 9; ++c) {
    if (blob)
      insert.bind(c, blob->data(), static_cast<int>(blob->size()));
    else
      insert.bind(c, 7);
  }
  insert.exec();
  return db;
}

std::string chunk_error(std::int64_t n, const std::string* blob) {
  SQLite::Database db = db_with_chunk(n, blob);
  return test::expect_error<DataError>([&] { bar_rows::read(db, "AAA"); }).reason();
}

}  // namespace

TEST_CASE("bar_rows refuses a chunk whose n times 8 wraps around to its BLOB size", "[store][fuzz]") {
  // 2^61 * 8 = 2^64 = 0 in size_t: empty arrays passed the old check and
  // the loop read 2^61 bars from null pointers.
  const std::string empty;
  CHECK(chunk_error(std::int64_t{1} << 61, &empty) ==
        "bars chunk (first_seq 1): column seq holds 0 bytes, expected 8 per bar for n = 2305843009213693952");
}

TEST_CASE("bar_rows refuses a chunk with a negative n", "[store][fuzz]") {
  const std::string one_word(8, '\0');
  CHECK(chunk_error(-1, &one_word) ==
        "bars chunk (first_seq 1): column seq holds 8 bytes, expected 8 per bar for n = -1");
}

TEST_CASE("bar_rows refuses a chunk whose arrays are not BLOBs", "[store][fuzz]") {
  // An integer 7 reads as the 1-byte text "7"; 8 of them would pass for one word.
  CHECK(chunk_error(1, nullptr) ==
        "bars chunk (first_seq 1): column seq holds 1 bytes, expected 8 per bar for n = 1");
}

TEST_CASE("bar_rows reads a well-formed chunk of one bar", "[store][fuzz]") {
  std::string word(8, '\0');
  word[0] = 5;  // seq 5 and ts 5; the prices are the doubles with bits 5
  SQLite::Database db = db_with_chunk(1, &word);
  const auto bars = bar_rows::read(db, "AAA");
  REQUIRE(bars.size() == 1);
  CHECK(bars[0].seq == 5);
  CHECK(bars[0].ts == 5);
  CHECK(bars[0].close == 5 * 4.9406564584124654e-324);
}
