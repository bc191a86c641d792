#include "signals/signal_file.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "data/chunked_line_reader.hpp"
#include "data/csv_dialect.hpp"
#include "data/csv_fields.hpp"
#include "data/xxh64.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"

namespace qtrader::signals_detail {

namespace {

enum Column { kTimestamp, kSymbol, kName, kValue, kAvailableAt, kColumns };
constexpr std::array<const char*, kColumns> kColumnNames = {"timestamp", "symbol", "name", "value",
                                                            "available_at"};
constexpr std::size_t kMaxFields = 16;

std::size_t split_row(std::string_view line, std::string_view* fields, std::string& scratch,
                      const std::string& file, long line_no) {
  std::size_t n = data_detail::split_fields(line, fields, kMaxFields, ',', '"');
  if (n == data_detail::kQuotedRow) {
    const auto split = data_detail::split_quoted_fields(line, fields, kMaxFields, ',', '"', scratch);
    if (split.error) throw DataError(file, line_no, split.error);
    n = split.count;
  }
  if (n > kMaxFields) throw DataError(file, line_no, fmt::format("more than {} columns", kMaxFields));
  for (std::size_t i = 0; i < n; ++i) fields[i] = data_detail::trim(fields[i]);
  return n;
}

}  // namespace

SignalFile read_signal_file(const SignalSourceSpec& spec) {
  const std::string& file = spec.file;
  SignalFile out;
  const auto hash = data_detail::xxh64_file(file);
  if (!hash) throw DataError(file, 0, "cannot read the signal file (source '" + spec.name + "')");
  out.hash = *hash;

  data_detail::ChunkedLineReader reader(file);
  std::array<std::string_view, kMaxFields> fields;
  std::string scratch;
  std::array<int, kColumns> index;
  index.fill(-1);
  std::size_t width = 0;
  std::string_view line;
  bool header = true;
  while (reader.next(line)) {
    const long line_no = reader.line_number();
    if (data_detail::trim(line).empty()) continue;
    const std::size_t n = split_row(line, fields.data(), scratch, file, line_no);
    if (header) {
      header = false;
      width = n;
      for (std::size_t i = 0; i < n; ++i) {
        const auto it = std::find(kColumnNames.begin(), kColumnNames.end(), fields[i]);
        if (it == kColumnNames.end())
          throw DataError(file, line_no, fmt::format("unknown column '{}' (expected timestamp, symbol, name, "
                                                     "value and optionally available_at)", fields[i]));
        const auto c = static_cast<std::size_t>(it - kColumnNames.begin());
        if (index[c] >= 0) throw DataError(file, line_no, fmt::format("column '{}' is named twice", fields[i]));
        index[c] = static_cast<int>(i);
      }
      for (int c = kTimestamp; c <= kValue; ++c)
        if (index[c] < 0) throw DataError(file, line_no, fmt::format("missing column '{}'", kColumnNames[c]));
      if (index[kAvailableAt] < 0 && !spec.has_latency)
        throw DataError(file, line_no,
                        "no 'available_at' column: give the source a 'latency' (source '" + spec.name + "')");
      continue;
    }
    if (n != width)
      throw DataError(file, line_no, fmt::format("{} columns, the header has {}", n, width));
    auto cell = [&](Column c) { return fields[static_cast<std::size_t>(index[c])]; };
    auto fail = [&](Column c, const std::string& why) -> DataError {
      return DataError(file, line_no, fmt::format("column '{}': {}", kColumnNames[c], why));
    };
    SignalRow row;
    const auto ts = parse_timestamp(cell(kTimestamp));
    if (!ts) throw fail(kTimestamp, fmt::format("'{}' is not \"YYYY-MM-DD[ HH:MM:SS]\"", cell(kTimestamp)));
    row.ts = *ts;
    row.symbol.assign(cell(kSymbol));
    if (row.symbol.empty()) throw fail(kSymbol, "empty");
    row.name.assign(cell(kName));
    if (row.name.empty()) throw fail(kName, "empty");
    if (data_detail::parse_number(cell(kValue), row.value) != data_detail::NumberStatus::Ok ||
        !std::isfinite(row.value))
      throw fail(kValue, fmt::format("'{}' is not a finite number", cell(kValue)));
    // Never before the value's own timestamp, and never before the latency has passed.
    row.available = row.ts + spec.latency;
    const std::string_view available = index[kAvailableAt] >= 0 ? cell(kAvailableAt) : std::string_view{};
    if (!available.empty()) {
      const auto at = parse_timestamp(available);
      if (!at) throw fail(kAvailableAt, fmt::format("'{}' is not \"YYYY-MM-DD[ HH:MM:SS]\"", available));
      row.available = std::max(row.available, *at);
    } else if (!spec.has_latency) {
      throw fail(kAvailableAt, "empty, and the source has no 'latency' (source '" + spec.name + "')");
    }
    out.rows.push_back(std::move(row));
  }
  if (header) throw DataError(file, 0, "empty signal file: expected a header row");
  return out;
}

}  // namespace qtrader::signals_detail
