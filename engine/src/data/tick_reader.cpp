#include "data/tick_reader.hpp"

#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "data/csv_fields.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"
#include "qtrader/value_limits.hpp"

namespace qtrader {

namespace data_detail {

bool parse_tick_epoch(std::string_view text, Timestamp& out) noexcept {
  if (text.empty() || text.size() > 19) return false;
  std::int64_t v = 0;
  for (char c : text) {
    const unsigned d = static_cast<unsigned char>(c - '0');
    if (d > 9) return false;
    v = v * 10 + d;
  }
  const std::size_t n = text.size();
  out = n <= 10 ? v * kNanosPerSecond : n <= 13 ? v * 1'000'000 : n <= 16 ? v * 1000 : v;
  return true;
}

}  // namespace data_detail

namespace {

constexpr std::size_t kMaxColumns = 32;

int two_digits(const char* p) {
  const unsigned a = static_cast<unsigned char>(p[0] - '0'), b = static_cast<unsigned char>(p[1] - '0');
  return a > 9 || b > 9 ? -1 : static_cast<int>(a * 10 + b);
}

}  // namespace

TickReader::TickReader(const std::string& file, TimeZone zone)
    : reader_(file), zone_(std::move(zone)) {
  std::string_view line;
  if (!reader_.next(line)) fail("empty file: expected a header naming timestamp, price and size");
  std::string_view fields[kMaxColumns];
  const std::size_t n = data_detail::split_fields(line, fields, kMaxColumns);
  columns_ = static_cast<int>(std::min(n, kMaxColumns));
  for (int i = 0; i < columns_; ++i) {
    const std::string_view name = data_detail::trim(fields[i]);
    if (name == "timestamp") ts_col_ = i;
    else if (name == "price") price_col_ = i;
    else if (name == "size") size_col_ = i;
    else if (name == "bid") bid_col_ = i;
    else if (name == "ask") ask_col_ = i;
  }
  for (auto [col, name] : {std::pair{ts_col_, "timestamp"}, {price_col_, "price"}, {size_col_, "size"}})
    if (col < 0) fail(fmt::format("the header has no column '{}' (a tick file needs timestamp, price, size)", name));
}

void TickReader::fail(const std::string& reason) const {
  throw DataError(reader_.path(), reader_.line_number(), reason);
}

// Out of line: the date changes once a day, the clock part is read in place.
Timestamp TickReader::parse_time(std::string_view text) {
  Timestamp ts = 0;
  if (data_detail::parse_tick_epoch(text, ts)) return ts;
  const auto bad = [&] {
    fail(fmt::format("'{}' is not a time (YYYY-MM-DD HH:MM:SS[.fraction][Z] or epoch digits)", text));
  };
  if (text.size() < 19 || (text[10] != ' ' && text[10] != 'T') || text[13] != ':' || text[16] != ':') bad();
  if (std::memcmp(text.data(), date_text_, 10) != 0) {
    const auto day = parse_date(text.substr(0, 10));
    if (!day) bad();
    std::memcpy(date_text_, text.data(), 10);
    date_start_ = *day;
  }
  const int h = two_digits(text.data() + 11), m = two_digits(text.data() + 14),
            s = two_digits(text.data() + 17);
  if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 60) bad();
  ts = date_start_ + (h * 3600LL + m * 60LL + s) * kNanosPerSecond;
  std::size_t p = 19;
  if (p < text.size() && text[p] == '.') {
    Timestamp frac = 0, scale = kNanosPerSecond;
    for (++p; p < text.size() && static_cast<unsigned char>(text[p] - '0') < 10; ++p)
      if (scale > 1) {
        scale /= 10;
        frac += (text[p] - '0') * scale;
      }
    ts += frac;
  }
  if (p < text.size() && text[p] == 'Z' && p + 1 == text.size()) return ts;
  if (p != text.size()) bad();
  return zone_.is_utc() ? ts : zone_.to_utc(ts);
}

bool TickReader::next(Tick& out) {
  std::string_view line;
  do {
    if (!reader_.next(line)) return false;
  } while (line.empty());
  std::string_view f[kMaxColumns];
  const std::size_t n = data_detail::split_fields(line, f, kMaxColumns);
  if (static_cast<int>(n) != columns_)
    fail(fmt::format("{} fields, the header has {}", n, columns_));
  out.ts = parse_time(f[ts_col_]);
  if (out.ts < previous_)
    fail(fmt::format("tick at {} is out of order: it follows {}", format_timestamp(out.ts),
                     format_timestamp(previous_)));
  previous_ = out.ts;
  auto number = [&](int col, const char* what, double& v) {
    if (data_detail::parse_number(f[col], v) != data_detail::NumberStatus::Ok || !std::isfinite(v))
      fail(fmt::format("{} '{}' is not a number", what, f[col]));
  };
  number(price_col_, "price", out.price);
  if (!(out.price > 0)) fail(fmt::format("price {} is not positive", f[price_col_]));
  if (out.price > kMaxPrice)
    fail(fmt::format("price {} is above the largest accepted price, {:g}", f[price_col_], kMaxPrice));
  number(size_col_, "size", out.size);
  if (out.size < 0) fail(fmt::format("size {} is negative", f[size_col_]));
  out.bid = out.ask = kNaN;
  if (bid_col_ >= 0 && !f[bid_col_].empty()) number(bid_col_, "bid", out.bid);
  if (ask_col_ >= 0 && !f[ask_col_].empty()) number(ask_col_, "ask", out.ask);
  return true;
}

}  // namespace qtrader
