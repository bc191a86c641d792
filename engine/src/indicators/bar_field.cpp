// Names of the bar fields an indicator can read.
#include "qtrader/indicators.hpp"

namespace qtrader {

bool parse_bar_field(std::string_view name, BarField& out) noexcept {
  struct Entry {
    std::string_view name;
    BarField field;
  };
  static constexpr Entry kFields[] = {
      {"open", BarField::Open},     {"high", BarField::High},
      {"low", BarField::Low},       {"close", BarField::Close},
      {"volume", BarField::Volume}, {"adj_close", BarField::AdjClose},
  };
  for (const auto& e : kFields) {
    if (e.name == name) {
      out = e.field;
      return true;
    }
  }
  return false;
}

double field_of(const Bar& bar, BarField f) noexcept {
  switch (f) {
    case BarField::Open: return bar.open;
    case BarField::High: return bar.high;
    case BarField::Low: return bar.low;
    case BarField::Close: return bar.close;
    case BarField::Volume: return bar.volume;
    case BarField::AdjClose: return bar.adj_close;
  }
  return kNaN;
}

}  // namespace qtrader
