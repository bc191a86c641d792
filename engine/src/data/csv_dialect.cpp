#include "data/csv_dialect.hpp"

namespace qtrader::data_detail {

QuotedSplit split_quoted_fields(std::string_view line, std::string_view* fields,
                                std::size_t capacity, char delimiter, char quote,
                                std::string& scratch) {
  scratch.clear();
  scratch.reserve(line.size());  // never reallocated below: earlier views stay valid
  QuotedSplit out;
  const char* p = line.data();
  const char* const end = p + line.size();
  for (;;) {
    std::string_view field;
    if (p != end && *p == quote) {
      const char* const open = ++p;
      bool doubled = false;
      for (;;) {
        if (p == end) return {out.count, "a quoted field is not closed on this line"};
        if (*p == quote) {
          if (p + 1 != end && p[1] == quote) {
            doubled = true;
            p += 2;
            continue;
          }
          break;
        }
        ++p;
      }
      field = std::string_view(open, static_cast<std::size_t>(p - open));
      ++p;  // the closing quote
      if (doubled) {
        const std::size_t at = scratch.size();
        for (std::size_t i = 0; i < field.size(); ++i) {
          scratch.push_back(field[i]);
          if (field[i] == quote) ++i;  // the second of a pair
        }
        field = std::string_view(scratch.data() + at, scratch.size() - at);
      }
      while (p != end && (*p == ' ' || *p == '\t') && *p != delimiter) ++p;
      if (p != end && *p != delimiter)
        return {out.count, "text after the closing quote of a field"};
    } else {
      const char* const start = p;
      while (p != end && *p != delimiter) ++p;
      field = std::string_view(start, static_cast<std::size_t>(p - start));
    }
    if (out.count < capacity) fields[out.count] = field;
    ++out.count;
    if (p == end) return out;
    ++p;  // the delimiter
  }
}

}  // namespace qtrader::data_detail
