#include "metrics/run_files.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string_view>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qtrader/results.hpp"
#include "qtrader/time.hpp"
#include "qtrader/timestamp_format.hpp"

namespace qtrader::metrics {

namespace {

namespace fs = std::filesystem;

// One CSV file with a header, read whole and cut into lines and cells in
// place (string views into the file's text: a fills.csv of 93 000 rows was
// a std::string per cell). qtrader quotes only text cells (tags, record
// names), which come after every column read here and never hold a line
// break, so a plain split finds the columns read.
class CsvReader {
 public:
  explicit CsvReader(std::string path) : path_(std::move(path)), in_(path_, std::ios::binary) {
    if (!in_) throw std::runtime_error(fmt::format("{}: cannot read", path_));
    in_.seekg(0, std::ios::end);
    size_ = static_cast<std::size_t>(std::max<std::streamoff>(in_.tellg(), 0));
    in_.seekg(0);
    buffer_.resize(kChunk);
    std::string_view header;
    next_line(header);
    line_ = 1;
    split(header, header_);
  }

  // Rows to reserve: more than the file can hold at 32 bytes a row (qtrader's
  // rows are longer); reserved pages that are never written cost nothing.
  std::size_t rows_hint() const { return size_ / 32 + 1; }

  std::size_t column(const std::string& name) const {
    for (std::size_t i = 0; i < header_.size(); ++i)
      if (header_[i] == name) return i;
    throw std::runtime_error(fmt::format("{}:1: no column '{}'", path_, name));
  }
  // A column only some runs write (a run with futures): its index, or npos.
  std::size_t optional_column(const std::string& name) const {
    for (std::size_t i = 0; i < header_.size(); ++i)
      if (header_[i] == name) return i;
    return std::string::npos;
  }

  bool next() {
    std::string_view line;
    while (next_line(line)) {
      ++line_;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.empty()) continue;
      split(line, cells_);
      if (cells_.size() < header_.size())
        fail(fmt::format("{} cells, the header has {}", cells_.size(), header_.size()));
      return true;
    }
    return false;
  }

  std::string_view view(std::size_t col) const { return cells_[col]; }
  std::string text(std::size_t col) const { return std::string(cells_[col]); }

  double number(std::size_t col) const {
    const std::string_view s = cells_[col];
    double v = 0.0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size())
      fail(fmt::format("'{}' in column '{}' is not a number", s, header_[col]));
    return v;
  }

  Timestamp time(std::size_t col) const {
    const auto ts = parse_run_timestamp(cells_[col]);
    if (!ts) fail(fmt::format("'{}' in column '{}' is not a timestamp", cells_[col], header_[col]));
    return *ts;
  }

  [[noreturn]] void fail(const std::string& reason) const {
    throw std::runtime_error(fmt::format("{}:{}: {}", path_, line_, reason));
  }

 private:
  // Lines from a reused buffer of kChunk bytes (a whole file of 7 MB cost
  // more in page faults than in parsing); a line may not exceed it.
  bool next_line(std::string_view& line) {
    for (;;) {
      const auto nl = static_cast<const char*>(std::memchr(buffer_.data() + at_, '\n', end_ - at_));
      if (nl) {
        const std::size_t stop = static_cast<std::size_t>(nl - buffer_.data());
        line = std::string_view(buffer_.data() + at_, stop - at_);
        at_ = stop + 1;
        return true;
      }
      if (eof_) {
        if (at_ == end_) return false;
        line = std::string_view(buffer_.data() + at_, end_ - at_);  // no final newline
        at_ = end_;
        return true;
      }
      std::memmove(buffer_.data(), buffer_.data() + at_, end_ - at_);
      end_ -= at_;
      at_ = 0;
      if (end_ == buffer_.size()) fail("a line longer than 1 MB");
      in_.read(buffer_.data() + end_, static_cast<std::streamsize>(buffer_.size() - end_));
      end_ += static_cast<std::size_t>(in_.gcount());
      if (!in_) eof_ = true;
    }
  }

  template <class Cells>
  static void split(std::string_view line, Cells& out) {
    out.clear();
    std::size_t start = 0;
    for (;;) {
      const auto comma = line.find(',', start);
      out.emplace_back(line.substr(start, comma == std::string_view::npos ? comma : comma - start));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }

  static constexpr std::size_t kChunk = 1 << 20;
  std::string path_;
  std::ifstream in_;
  std::size_t size_ = 0;
  std::vector<char> buffer_;
  std::size_t at_ = 0, end_ = 0;
  bool eof_ = false;
  long line_ = 0;
  std::vector<std::string> header_;
  std::vector<std::string_view> cells_;
};

}  // namespace

namespace {

void read_equity(const std::string& dir, RunFiles& run) {
  CsvReader csv(dir + "/equity.csv");
  const auto ts = csv.column("timestamp"), cash = csv.column("cash"), eq = csv.column("equity");
  const auto net = csv.optional_column("net_exposure");
  run.equity.reserve(csv.rows_hint());
  while (csv.next()) {
    run.equity.push_back({csv.time(ts), csv.number(cash), csv.number(eq)});
    if (net != std::string::npos) run.equity.back().net_exposure = csv.number(net);
    if (run.equity.size() > 1 && run.equity.back().ts < run.equity[run.equity.size() - 2].ts)
      csv.fail("timestamps go backwards");
  }
}

void read_trades(const std::string& dir, RunFiles& run) {
  CsvReader csv(dir + "/trades.csv");
  const auto strategy = csv.column("strategy_id"), symbol = csv.column("symbol"),
             entry_time = csv.column("entry_time"), entry_price = csv.column("entry_price"),
             exit_time = csv.column("exit_time"), exit_price = csv.column("exit_price"),
             quantity = csv.column("quantity"), gross = csv.column("gross_pnl"),
             commission = csv.column("commission"), net = csv.column("net_pnl"),
             direction = csv.column("direction");
  run.trades.reserve(csv.rows_hint());
  while (csv.next()) {
    const std::string_view dir_text = csv.view(direction);
    if (dir_text != "long" && dir_text != "short")
      csv.fail(fmt::format("direction '{}' is neither long nor short", dir_text));
    run.trades.push_back({csv.text(strategy), csv.text(symbol), csv.time(entry_time),
                          csv.time(exit_time),
                          csv.number(entry_price), csv.number(exit_price), csv.number(quantity),
                          csv.number(gross), csv.number(commission), csv.number(net),
                          dir_text == "long"});
  }
}

void read_fills(const std::string& dir, RunFiles& run) {
  CsvReader csv(dir + "/fills.csv");
  const auto ts = csv.column("timestamp"), strategy = csv.column("strategy_id"),
             symbol = csv.column("symbol"), side = csv.column("side"),
             quantity = csv.column("quantity"), price = csv.column("price"),
             commission = csv.column("commission");
  const auto multiplier = csv.optional_column("multiplier");
  run.fills.reserve(csv.rows_hint());
  while (csv.next()) {
    const std::string_view s = csv.view(side);
    if (s != "buy" && s != "sell") csv.fail(fmt::format("side '{}' is neither buy nor sell", s));
    run.fills.push_back({csv.time(ts), csv.text(strategy), csv.text(symbol), s == "buy",
                         std::abs(csv.number(quantity)), csv.number(price), csv.number(commission)});
    if (multiplier != std::string::npos) run.fills.back().multiplier = csv.number(multiplier);
  }
}

void read_summary(const std::string& dir, RunFiles& run) {
  std::ifstream in(dir + "/summary.json");
  const auto j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("initial_equity") && j["initial_equity"].is_number()) {
    run.initial_equity = j["initial_equity"].get<double>();
    run.has_summary = true;
  }
  if (j.is_object() && j.value("time_format", "") == "instants" && j.contains("exchange_timezone") &&
      j["exchange_timezone"].is_string())
    if (const auto zone = TimeZone::find(j["exchange_timezone"].get<std::string>())) run.day_zone = *zone;
}

// Written by the run from its `benchmark:` (docs/metrics.md, "Benchmark").
void read_benchmark(const std::string& dir, RunFiles& run) {
  CsvReader csv(dir + "/benchmark.csv");
  const auto ts = csv.column("timestamp"), price = csv.column("price");
  while (csv.next()) {
    run.benchmark.push_back({csv.time(ts), csv.number(price)});
    if (!(run.benchmark.back().price > 0.0)) csv.fail("the price is not positive");
    if (run.benchmark.size() > 1 && run.benchmark.back().ts <= run.benchmark[run.benchmark.size() - 2].ts)
      csv.fail("timestamps do not increase");
  }
}

}  // namespace

RunFiles read_run_files(const std::string& dir) {
  if (!is_run_dir(dir))
    throw NotARunError(fmt::format("{}: not a run's results folder (no equity.csv)", dir));
  RunFiles run;
  read_equity(dir, run);
  if (fs::exists(dir + "/trades.csv")) read_trades(dir, run);
  if (fs::exists(dir + "/fills.csv")) read_fills(dir, run);
  if (fs::exists(dir + "/summary.json")) read_summary(dir, run);
  if (fs::exists(dir + "/benchmark.csv")) read_benchmark(dir, run);
  if (!run.has_summary && !run.equity.empty()) run.initial_equity = run.equity.front().equity;
  return run;
}

}  // namespace qtrader::metrics

namespace qtrader {

bool is_run_dir(const std::string& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(std::filesystem::path(dir) / "equity.csv", ec);
}

}  // namespace qtrader
