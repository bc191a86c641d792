// Date and time cells without std::get_time or strptime: a row costs a few
// digit reads, not a locale look-up (docs/data.md "Reading files").
#include "qtrader/cell_time_format.hpp"

#include <limits>

namespace qtrader {

namespace timestamp_detail {

std::optional<std::int64_t> days_from_civil(int y, int m, int d) noexcept {
  // Nanosecond timestamps in an int64 span 1677-09-21 to 2262-04-11.
  if (y < 1678 || y > 2261 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(m > 2 ? m - 3 : m + 9) + 2) / 5 +
                       static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace timestamp_detail

namespace {

using timestamp_detail::days_from_civil;

// Reads exactly `n` digits at `p`.
inline bool fixed_digits(const char*& p, const char* end, int n, int& out) noexcept {
  if (end - p < n) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const unsigned digit = static_cast<unsigned char>(p[i] - '0');
    if (digit > 9) return false;
    v = v * 10 + static_cast<int>(digit);
  }
  p += n;
  out = v;
  return true;
}

// One or two digits, as strptime reads %m, %d, %H: "5" and "05" alike.
inline bool one_or_two_digits(const char*& p, const char* end, int& out) noexcept {
  if (p == end || static_cast<unsigned char>(*p - '0') > 9) return false;
  int v = *p++ - '0';
  if (p != end && static_cast<unsigned char>(*p - '0') <= 9) v = v * 10 + (*p++ - '0');
  out = v;
  return true;
}

// ".123" after the seconds: 1 to 9 digits, as nanoseconds. The dot is read by the caller.
inline bool fraction_digits(const char*& p, const char* end, Timestamp& nanos) noexcept {
  int n = 0;
  Timestamp v = 0;
  while (p != end && static_cast<unsigned char>(*p - '0') <= 9) {
    if (++n > 9) return false;
    v = v * 10 + (*p++ - '0');
  }
  if (n == 0) return false;
  for (int i = n; i < 9; ++i) v *= 10;
  nanos = v;
  return true;
}

// "Z", "±HH", "±HHMM" or "±HH:MM" as local minus UTC, in nanoseconds.
inline bool utc_offset(const char*& p, const char* end, Timestamp& offset) noexcept {
  if (p == end) return false;
  if (*p == 'Z' || *p == 'z') {
    ++p;
    offset = 0;
    return true;
  }
  if (*p != '+' && *p != '-') return false;
  const bool negative = *p++ == '-';
  int hh = 0, mm = 0;
  if (!fixed_digits(p, end, 2, hh)) return false;
  if (p != end) {
    if (*p == ':') ++p;
    if (!fixed_digits(p, end, 2, mm)) return false;
  }
  if (hh > 23 || mm > 59) return false;
  offset = (hh * 3600LL + mm * 60LL) * kNanosPerSecond;
  if (negative) offset = -offset;
  return true;
}

// HH:MM[:SS[.f…]][Z|±HH[:MM]] up to `end`, added to `out`.
inline bool iso_time(const char* p, const char* end, CellTime& out) noexcept {
  int hh = 0, mm = 0, ss = 0;
  if (!fixed_digits(p, end, 2, hh) || p == end || *p++ != ':' || !fixed_digits(p, end, 2, mm))
    return false;
  Timestamp nanos = 0;
  if (p != end && *p == ':') {
    ++p;
    if (!fixed_digits(p, end, 2, ss)) return false;
    if (p != end && (*p == '.' || *p == ',')) {
      ++p;
      if (!fraction_digits(p, end, nanos)) return false;
    }
  }
  if (hh > 23 || mm > 59 || ss > 59) return false;
  out.value += (hh * 3600LL + mm * 60LL + ss) * kNanosPerSecond + nanos;
  if (p == end) return true;
  Timestamp offset = 0;
  if (!utc_offset(p, end, offset) || p != end) return false;
  out.value -= offset;
  out.exact = true;
  return true;
}

inline bool iso_date_time(std::string_view cell, CellTime& out) noexcept {
  const char* p = cell.data();
  const char* const end = p + cell.size();
  int y = 0, m = 0, d = 0;
  if (cell.size() < 10 || !fixed_digits(p, end, 4, y) || *p++ != '-' ||
      !fixed_digits(p, end, 2, m) || *p++ != '-' || !fixed_digits(p, end, 2, d))
    return false;
  const auto days = days_from_civil(y, m, d);
  if (!days) return false;
  out.value = *days * kNanosPerDay;
  out.exact = false;
  if (p == end) return true;
  if (*p != ' ' && *p != 'T' && *p != 't') return false;
  return iso_time(p + 1, end, out);
}

// epoch_s may carry a fraction ("1700000000.25"); the finer units are integers.
bool epoch(std::string_view cell, Timestamp unit, CellTime& out) noexcept {
  const char* p = cell.data();
  const char* const end = p + cell.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  if (p == end) return false;
  std::int64_t whole = 0;
  for (; p != end && static_cast<unsigned char>(*p - '0') <= 9; ++p)
    if (__builtin_mul_overflow(whole, 10, &whole) || __builtin_add_overflow(whole, *p - '0', &whole))
      return false;
  Timestamp nanos = 0;
  if (p != end && *p == '.' && unit == kNanosPerSecond) {
    ++p;
    if (!fraction_digits(p, end, nanos)) return false;
  }
  if (p != end) return false;
  Timestamp v = 0;
  if (__builtin_mul_overflow(whole, unit, &v) || __builtin_add_overflow(v, nanos, &v)) return false;
  out.value = negative ? -v : v;
  out.exact = true;
  return true;
}

bool same_letters(const char* p, const char* word, int n) noexcept {
  for (int i = 0; i < n; ++i)
    if ((p[i] | 0x20) != word[i]) return false;
  return true;
}

}  // namespace

std::optional<CellTimeFormat> CellTimeFormat::compile(std::string_view text, bool time_of_day,
                                                        std::string& error) {
  CellTimeFormat f;
  if (text.empty()) {
    if (time_of_day) {
      f.kind_ = Kind::IsoTime;
      f.describe_ = "HH:MM:SS";
    }
    return f;
  }
  static constexpr std::pair<std::string_view, Kind> kEpochs[] = {
      {"epoch_s", Kind::EpochS}, {"epoch_ms", Kind::EpochMs},
      {"epoch_us", Kind::EpochUs}, {"epoch_ns", Kind::EpochNs}};
  for (const auto& [name, kind] : kEpochs)
    if (text == name) {
      if (time_of_day) {
        error = "'" + std::string(text) + "' is a date_format: epoch numbers carry the date";
        return std::nullopt;
      }
      f.kind_ = kind;
      f.describe_ = std::string(text);
      return f;
    }

  f.kind_ = Kind::Pattern;
  f.describe_ = std::string(text);
  bool year = false, month = false, day = false, hour = false, hour12 = false, am_pm = false;
  const auto add = [&](Op op) { f.steps_.push_back({op, '\0'}); };
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      f.steps_.push_back({Op::Literal, text[i]});
      continue;
    }
    if (++i == text.size()) {
      error = "'" + std::string(text) + "' ends with a lone '%'";
      return std::nullopt;
    }
    switch (text[i]) {
      case 'Y': add(Op::Year4); year = true; break;
      case 'y': add(Op::Year2); year = true; break;
      case 'm': add(Op::Month); month = true; break;
      case 'b': case 'h': add(Op::MonthName); month = true; break;
      case 'd': case 'e': add(Op::Day); day = true; break;
      case 'H': add(Op::Hour24); hour = true; break;
      case 'I': add(Op::Hour12); hour12 = true; break;
      case 'M': add(Op::Minute); break;
      case 'S': add(Op::Second); break;
      case 'f': add(Op::Fraction); break;
      case 'p': add(Op::AmPm); am_pm = true; break;
      case 'z': add(Op::Offset); break;
      case 'F':  // %Y-%m-%d
        add(Op::Year4); f.steps_.push_back({Op::Literal, '-'}); add(Op::Month);
        f.steps_.push_back({Op::Literal, '-'}); add(Op::Day);
        year = month = day = true;
        break;
      case 'T':  // %H:%M:%S
        add(Op::Hour24); f.steps_.push_back({Op::Literal, ':'}); add(Op::Minute);
        f.steps_.push_back({Op::Literal, ':'}); add(Op::Second);
        hour = true;
        break;
      case '%': f.steps_.push_back({Op::Literal, '%'}); break;
      default:
        error = "'" + std::string(text) + "': unknown directive '%" + std::string(1, text[i]) +
                "' (known: %Y %y %m %d %b %H %I %M %S %f %p %z %F %T %%)";
        return std::nullopt;
    }
  }
  if (hour12 != am_pm) {
    error = "'" + std::string(text) + "': %I and %p go together";
    return std::nullopt;
  }
  if (time_of_day) {
    if (year || month || day) {
      error = "'" + std::string(text) + "': a time_format holds time directives only";
      return std::nullopt;
    }
    if (!hour && !hour12) {
      error = "'" + std::string(text) + "': a time_format needs an hour (%H or %I)";
      return std::nullopt;
    }
  } else if (!year || !month || !day) {
    error = "'" + std::string(text) + "': a date_format needs a year, a month and a day";
    return std::nullopt;
  }
  return f;
}

bool CellTimeFormat::parse(std::string_view cell, CellTime& out) const noexcept {
  switch (kind_) {
    case Kind::IsoDateTime:
      return iso_date_time(cell, out);
    case Kind::IsoTime:
      out = CellTime{};
      return iso_time(cell.data(), cell.data() + cell.size(), out);
    case Kind::Pattern:
      return parse_pattern(cell, out);
    case Kind::EpochS:
      return epoch(cell, kNanosPerSecond, out);
    case Kind::EpochMs:
      return epoch(cell, 1'000'000, out);
    case Kind::EpochUs:
      return epoch(cell, 1'000, out);
    case Kind::EpochNs:
      return epoch(cell, 1, out);
  }
  return false;
}

bool CellTimeFormat::parse_pattern(std::string_view cell, CellTime& out) const noexcept {
  static constexpr const char* kMonths[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                              "jul", "aug", "sep", "oct", "nov", "dec"};
  const char* p = cell.data();
  const char* const end = p + cell.size();
  // A time-only pattern leaves the date at 1970-01-01: the value is then the time of day.
  int y = 1970, m = 1, d = 1, hh = 0, mm = 0, ss = 0;
  bool twelve_hour = false, pm = false;
  Timestamp nanos = 0, offset = 0;
  bool has_offset = false;
  for (const Step& s : steps_) {
    bool ok = true;
    switch (s.op) {
      case Op::Literal: ok = p != end && *p++ == s.literal; break;
      case Op::Year4: ok = fixed_digits(p, end, 4, y); break;
      case Op::Year2:  // POSIX: 69-99 are 1969-1999, 00-68 are 2000-2068
        ok = fixed_digits(p, end, 2, y);
        y += y >= 69 ? 1900 : 2000;
        break;
      case Op::Month: ok = one_or_two_digits(p, end, m); break;
      case Op::MonthName:
        ok = false;
        if (end - p >= 3)
          for (int i = 0; i < 12 && !ok; ++i)
            if (same_letters(p, kMonths[i], 3)) {
              m = i + 1;
              p += 3;
              ok = true;
            }
        break;
      case Op::Day: ok = one_or_two_digits(p, end, d); break;
      case Op::Hour24: ok = one_or_two_digits(p, end, hh) && hh <= 23; break;
      case Op::Hour12: ok = one_or_two_digits(p, end, hh) && hh >= 1 && hh <= 12; break;
      case Op::Minute: ok = fixed_digits(p, end, 2, mm) && mm <= 59; break;
      case Op::Second: ok = fixed_digits(p, end, 2, ss) && ss <= 59; break;
      case Op::Fraction: ok = fraction_digits(p, end, nanos); break;
      case Op::AmPm:
        ok = end - p >= 2 && ((p[1] | 0x20) == 'm') && ((p[0] | 0x20) == 'a' || (p[0] | 0x20) == 'p');
        if (ok) {
          twelve_hour = true;
          pm = (p[0] | 0x20) == 'p';
          p += 2;
        }
        break;
      case Op::Offset: ok = utc_offset(p, end, offset); has_offset = ok; break;
    }
    if (!ok) return false;
  }
  if (p != end) return false;
  const auto days = days_from_civil(y, m, d);
  if (!days) return false;
  if (twelve_hour) hh = hh % 12 + (pm ? 12 : 0);  // 12 AM is 00, 12 PM is 12
  out.value = *days * kNanosPerDay + (hh * 3600LL + mm * 60LL + ss) * kNanosPerSecond + nanos;
  out.exact = has_offset;
  if (has_offset) out.value -= offset;
  return true;
}

}  // namespace qtrader
