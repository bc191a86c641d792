#include "store/bar_rows_view.hpp"

#include <fmt/format.h>

namespace qtrader::bar_rows {

namespace {

constexpr const char* kColumns[] = {"seq", "ts", "open", "high", "low", "close", "volume", "adj_close"};

// Byte j (0 = least significant) of column c's word, 0..255.
std::string byte(std::string_view c, int j, const std::string& table) {
  return fmt::format("(instr({},substr(w_{},{},1))-1)", table, c, j + 1);
}

// The low 48 bits, byte 6 and byte 7 of a word.
std::string parts(std::string_view c, const std::string& table) {
  std::string lo;
  for (int j = 0; j < 6; ++j) lo += fmt::format("{}({}<<{})", j ? "+" : "", byte(c, j, table), 8 * j);
  return fmt::format("({}) AS lo_{c}, {} AS b6_{c}, {} AS b7_{c}", lo, byte(c, 6, table), byte(c, 7, table),
                     fmt::arg("c", c));
}

std::string int64(std::string_view c) {
  return fmt::format("(lo_{c}+(b6_{c}<<48)+((b7_{c}-(b7_{c}>>7)*256)<<56))", fmt::arg("c", c));
}

// sign * (2^52 + mantissa) * 2^(exponent - 1075), the power of two applied
// as up to three exact shifts of 62 bits.
std::string real(std::string_view c) {
  const std::string e = fmt::format("(((b7_{c}&127)<<4)|(b6_{c}>>4))", fmt::arg("c", c));
  const std::string p = "(" + e + "-1075)";
  const std::string sign = fmt::format("(1.0-(b7_{}>>7)*2)", c);
  std::string up, down;
  for (int k = 0; k < 3; ++k) {
    up += fmt::format("{}(1<<MIN(MAX({}-{},0),62))", k ? "*" : "", p, 62 * k);
    down += fmt::format("{}(1<<MIN(MAX(-{}-{},0),62))", k ? "/" : "", p, 62 * k);
  }
  return fmt::format(
      "(CASE WHEN {e}=2047 THEN NULL WHEN {e}=0 THEN {s}*0.0 WHEN {p}>186 OR {p}<-186 THEN NULL"
      " ELSE {s}*(CAST(lo_{c}+((b6_{c}&15)<<48)+4503599627370496 AS REAL)*{up})/{down} END)",
      fmt::arg("e", e), fmt::arg("s", sign), fmt::arg("p", p), fmt::arg("c", c), fmt::arg("up", up),
      fmt::arg("down", down));
}

}  // namespace

std::string view_sql() {
  std::string table = "x'";
  for (int i = 0; i < 256; ++i) table += fmt::format("{:02X}", i);
  table += "'";
  std::string words, split, out;
  for (const char* c : kColumns) {
    words += fmt::format(", substr(b.{c},k.i*8+1,8) AS w_{c}", fmt::arg("c", c));
    split += ", " + parts(c, table);
  }
  out = fmt::format("{} AS seq, symbol, {} AS ts", int64("seq"), int64("ts"));
  for (int i = 2; i < 8; ++i) out += fmt::format(", {} AS {}", real(kColumns[i]), kColumns[i]);
  // LIMIT -1 keeps each layer a subquery of its own: flattened, the outer
  // expressions would take the words apart again for every use.
  return fmt::format(
      "CREATE VIEW IF NOT EXISTS bar_rows AS"
      " WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM k WHERE i<1023)"
      " SELECT {} FROM (SELECT symbol{} FROM (SELECT b.symbol AS symbol{} FROM bars b JOIN k ON k.i<b.n"
      " LIMIT -1) LIMIT -1)",
      out, split, words);
}

}  // namespace qtrader::bar_rows
