// What a symbol and a strategy_id may be. Both become parts of file paths
// (SYMBOL.csv in a source folder) and unquoted fields of CSV rows and JSON keys,
// so a name with a separator, a quote, a newline, a path step or bytes that are
// not ASCII would read another file or corrupt an output: refused at the line.
#pragma once

#include <string>
#include <string_view>

namespace qtrader::config_detail {

// Empty when `name` is a valid symbol, else why not: 1 to 64 of letters,
// digits and `. _ - ^ = @ # $ & ! +` (BRK.B, BRK-B, ^GSPC, ES=F, 600519.SS),
// not starting with `.`.
std::string symbol_name_problem(std::string_view name);

// Empty when `id` is a valid strategy_id, else why not: 1 to 64 of letters,
// digits, `_`, `-` and `.`, starting with a letter, a digit or `_`.
std::string strategy_id_problem(std::string_view id);

// `text` for an error message: bytes outside printable ASCII as \xNN, so a
// refused name never carries a newline or invalid UTF-8 into the message.
std::string printable(std::string_view text);

}  // namespace qtrader::config_detail
