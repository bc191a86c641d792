#include "engine/benchmark_series.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <cmath>
#include <fstream>
#include <optional>
#include <stdexcept>

#include <fmt/format.h>

#include "base/result_file.hpp"
#include "qtrader/data.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

namespace {

constexpr Timestamp kDay = 86'400'000'000'000LL;

std::vector<BenchmarkPoint> from_source(const BacktestConfig& bt, const DataSourceConfig& source) {
  // The end date is inclusive: a bar of any time on that day counts.
  auto stream = open_csv_stream(source, source.file_for(bt.benchmark.symbol), 0, bt.start_date,
                                bt.end_date);
  std::vector<BenchmarkPoint> out;
  Bar bar;
  while (stream->next(bar)) out.push_back({bar.ts, bar.close});
  return out;
}

std::vector<std::string> split(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (;;) {
    const auto comma = line.find(',', start);
    std::string cell = line.substr(start, comma - start);
    const auto first = cell.find_first_not_of(" \t"), last = cell.find_last_not_of(" \t");
    cells.push_back(first == std::string::npos ? std::string() : cell.substr(first, last - first + 1));
    if (comma == std::string::npos) return cells;
    start = comma + 1;
  }
}

// The first column is the date (or timestamp); `spec.column` the value.
std::vector<BenchmarkPoint> from_file(const BacktestConfig& bt) {
  const BenchmarkSpec& spec = bt.benchmark;
  std::ifstream in(spec.file);
  if (!in) throw DataError(spec.file, 0, std::string("cannot read: ") + std::strerror(errno));
  std::string text;
  std::getline(in, text);
  const auto header = split(text);
  std::size_t col = 0;
  while (col < header.size() && header[col] != spec.column) ++col;
  if (col == 0 || col == header.size())
    throw ConfigError(spec.where.file, spec.where.line, "benchmark.column",
                      fmt::format("{} has no value column '{}' after its date column (header: {})",
                                  spec.file, spec.column, text));
  std::vector<BenchmarkPoint> out;
  // The last row before start_date: the price as of the run's first day when
  // the file has no row on it.
  std::optional<BenchmarkPoint> before;
  double growth = 1.0;
  long line = 1;
  Timestamp previous = 0;
  while (std::getline(in, text)) {
    ++line;
    if (text.empty() || text == "\r") continue;
    const auto cells = split(text);
    if (cells.size() <= col) throw DataError(spec.file, line, fmt::format("no column '{}'", spec.column));
    const auto ts = parse_timestamp(cells[0]);
    if (!ts) throw DataError(spec.file, line, fmt::format("'{}' is not a date", cells[0]));
    if (line > 2 && *ts <= previous) throw DataError(spec.file, line, "dates do not increase");
    previous = *ts;
    double v = 0.0;
    const std::string& s = cells[col];
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v))
      throw DataError(spec.file, line, fmt::format("'{}' is not a number", s));
    if (spec.returns) {
      if (v <= -1.0) throw DataError(spec.file, line, fmt::format("a return of {} loses everything", s));
      growth *= 1.0 + v;  // compounds every row, also those before start_date
      v = growth;
    } else if (v <= 0.0) {
      throw DataError(spec.file, line, fmt::format("price {} is not positive", s));
    }
    if (*ts < bt.start_date)
      before = BenchmarkPoint{*ts, v};
    else if (*ts < bt.end_date + kDay)
      out.push_back({*ts, v});
  }
  if (before)
    out.insert(out.begin(), *before);
  else if (spec.returns && !out.empty())
    // A returns file that starts in the run: it grows from 1 on the day before its first return.
    out.insert(out.begin(), BenchmarkPoint{out.front().ts - kDay, 1.0});
  return out;
}

}  // namespace

std::vector<BenchmarkPoint> load_benchmark_series(const BacktestConfig& bt,
                                                  const DataSourceConfig* source) {
  const BenchmarkSpec& spec = bt.benchmark;
  if (spec.empty()) return {};
  auto out = source ? from_source(bt, *source) : from_file(bt);
  if (out.empty())
    throw ConfigError(spec.where.file, spec.where.line, "benchmark",
                      fmt::format("the benchmark has no price from {} to {}", format_date(bt.start_date),
                                  format_date(bt.end_date)));
  return out;
}

void write_benchmark_csv(const std::string& results_dir, const std::vector<BenchmarkPoint>& series) {
  if (series.empty()) return;
  // As NAME.partial, renamed when whole: a run killed while writing it leaves no cut benchmark.csv.
  ResultFile out(results_dir + "/benchmark.csv");
  out.write("timestamp,price\n");
  for (const auto& p : series) out.row(FMT_COMPILE("{},{}\n"), format_timestamp(p.ts), p.price);
  out.close();
}

}  // namespace qtrader
