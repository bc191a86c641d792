// RFC 4180 quoted fields (docs/data.md "Reading files"): the slow path that
// split_fields (csv_fields.hpp) hands a row to when a field starts with the
// quote character. Quotes stay off the common path: a file without them never
// comes here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace qtrader::data_detail {

struct QuotedSplit {
  std::size_t count = 0;  // fields in the row (may exceed the capacity)
  const char* error = nullptr;  // why the row cannot be split; nullptr when it can
};

// Splits `line` at `delimiter` into `fields` (capacity `capacity`), taking a
// field that starts with `quote` up to its closing quote: delimiters inside
// are text, a doubled quote is one quote. A field with doubled quotes is
// unescaped into `scratch`, which is cleared and reserved here, so the views
// stay valid until the next call. Blanks may follow a closing quote; anything
// else there is an error, as is a quote not closed on the line (line breaks
// inside quotes are not supported).
QuotedSplit split_quoted_fields(std::string_view line, std::string_view* fields,
                                std::size_t capacity, char delimiter, char quote,
                                std::string& scratch);

}  // namespace qtrader::data_detail
