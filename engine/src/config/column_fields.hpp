// The named fields of a ColumnMap, for reading `columns:` and resolving header names.
#pragma once

#include <array>
#include <string_view>
#include <utility>

#include "qtrader/config.hpp"

namespace qtrader::config_detail {

using ColumnMember = int ColumnMap::*;

inline constexpr std::array<std::pair<std::string_view, ColumnMember>, 9> kColumnFields{{
    {"date", &ColumnMap::date},
    {"time", &ColumnMap::time},
    {"open", &ColumnMap::open},
    {"high", &ColumnMap::high},
    {"low", &ColumnMap::low},
    {"close", &ColumnMap::close},
    {"adj_close", &ColumnMap::adj_close},
    {"volume", &ColumnMap::volume},
    {"open_interest", &ColumnMap::open_interest},
}};

// nullptr when `field` is not a column field.
inline ColumnMember column_field(std::string_view field) {
  for (const auto& [name, member] : kColumnFields)
    if (name == field) return member;
  return nullptr;
}

}  // namespace qtrader::config_detail
