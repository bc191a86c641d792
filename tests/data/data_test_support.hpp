// Helpers shared by the data tests.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "qtrader/data.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"
#include "temp_dir.hpp"

namespace qtrader::test {

inline const std::string kSampleDir = QTRADER_SOURCE_DIR "/data/sample/";
inline const std::string kBadDir = QTRADER_FIXTURES_DIR "/data/bad/";
inline constexpr Timestamp kNoStart = std::numeric_limits<Timestamp>::min();
inline constexpr Timestamp kNoEnd = std::numeric_limits<Timestamp>::max();

inline DataSourceConfig source_with(std::string layout, std::string price_mode = "raw") {
  DataSourceConfig s;
  s.name = "test";
  s.layout = std::move(layout);
  s.price_mode = std::move(price_mode);
  return s;
}

// Five intraday bars over three days, date and time in separate columns.
inline const std::string kIntradayCsv =
    "Date,Time,Open,High,Low,Close,Volume\n"
    "2006-01-02,09:05:00,10,11,9,10.5,100\n"
    "2006-01-02,15:30:00,10.5,12,10,11.5,200\n"
    "2006-01-03,09:05:00,11.5,13,11,12.5,300\n"
    "2006-01-03,15:30:00,12.5,14,12,13.5,400\n"
    "2006-01-04,09:05:00,13.5,15,13,14.5,500\n";
inline DataSourceConfig intraday_source() {
  auto src = source_with("custom");
  src.columns = ColumnMap{.date = 0, .time = 1, .open = 2, .high = 3, .low = 4, .close = 5,
                          .adj_close = -1, .volume = 6};
  return src;
}

inline Timestamp day(const char* text) {
  auto ts = parse_timestamp(text);
  REQUIRE(ts);
  return *ts;
}

inline std::vector<Bar> read_all(BarStream& stream) {
  std::vector<Bar> bars;
  Bar b;
  while (stream.next(b)) bars.push_back(b);
  return bars;
}

inline std::vector<Bar> read_file(const DataSourceConfig& source, const std::string& file,
                                  Timestamp start = kNoStart, Timestamp end = kNoEnd,
                                  SymbolId symbol = 0) {
  auto stream = open_csv_stream(source, file, symbol, start, end);
  return read_all(*stream);
}

// A file in the test program's own temp folder, removed when the test ends.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& bytes)
      : path_((process_temp_dir() / name).string()) {
    std::ofstream out(path_, std::ios::binary);
    out << bytes;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs `action`, which must throw DataError; returns it for inspection.
inline DataError expect_data_error(const std::function<void()>& action) {
  try {
    action();
  } catch (const DataError& e) {
    return e;
  }
  FAIL("no DataError was thrown");
  throw std::logic_error("unreachable");
}

}  // namespace qtrader::test
