// Daily files repeat the same "YYYY-MM" for about 21 rows in a row, so the
// calendar work of qtrader::parse_date is done once per month and the other
// rows only read their day of the month.
#pragma once

#include <cstring>
#include <optional>
#include <string_view>

#include "qtrader/time.hpp"

namespace qtrader::data_detail {

class MonthDateCache {
 public:
  // Same results as qtrader::parse_timestamp(text).
  std::optional<Timestamp> parse(std::string_view text) noexcept {
    if (text.size() != 10) return parse_timestamp(text);
    if (has_month_ && std::memcmp(text.data(), month_prefix_, 7) == 0) {
      const unsigned tens = static_cast<unsigned char>(text[8] - '0');
      const unsigned ones = static_cast<unsigned char>(text[9] - '0');
      if (tens > 9 || ones > 9) return std::nullopt;
      const int day = static_cast<int>(tens * 10 + ones);
      if (day < 1 || day > days_in_month_) return std::nullopt;
      return month_start_ + (day - 1) * kNanosPerDay;
    }
    const auto ts = parse_date(text);
    if (ts) remember_month(text, *ts);
    return ts;
  }

 private:
  // `text` is a valid date: keep its month's first day and length, both from
  // parse_date so the calendar has a single authority.
  void remember_month(std::string_view text, Timestamp ts) noexcept {
    std::memcpy(month_prefix_, text.data(), 7);
    const int day = (text[8] - '0') * 10 + (text[9] - '0');
    month_start_ = ts - (day - 1) * kNanosPerDay;
    char probe[10];
    std::memcpy(probe, text.data(), 8);
    days_in_month_ = 28;
    for (const char* last : {"31", "30", "29"}) {
      std::memcpy(probe + 8, last, 2);
      if (parse_date(std::string_view(probe, 10))) {
        days_in_month_ = (last[0] - '0') * 10 + (last[1] - '0');
        break;
      }
    }
    has_month_ = true;
  }

  char month_prefix_[7] = {};
  bool has_month_ = false;
  Timestamp month_start_ = 0;
  int days_in_month_ = 0;
};

}  // namespace qtrader::data_detail
