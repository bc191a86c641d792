#include "data/corporate_actions.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include <fast_float/fast_float.h>

#include "base/regular_file.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_cells(std::string_view line) {
  std::vector<std::string_view> cells;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    cells.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return cells;
}

}  // namespace

void CorporateActions::add(const CorporateAction& a) {
  if (a.symbol >= by_symbol_.size()) by_symbol_.resize(a.symbol + 1);
  auto& list = by_symbol_[a.symbol];
  const auto at = std::upper_bound(list.begin(), list.end(), a.date,
                                   [](Timestamp d, const CorporateAction& x) { return d < x.date; });
  list.insert(at, a);
}

bool CorporateActions::empty() const noexcept {
  for (const auto& l : by_symbol_)
    if (!l.empty()) return false;
  return true;
}

void read_corporate_actions(const std::string& file, const SymbolTable& symbols,
                            CorporateActions& out, const std::vector<SymbolId>& only) {
  if (const std::string problem = not_a_regular_file(file); !problem.empty() && problem != "does not exist")
    throw DataError(file, 0, "cannot read: the path " + problem);
  std::ifstream in(file);
  if (!in) throw DataError(file, 0, "cannot open corporate actions file");
  std::string line;
  long number = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++number;
    const std::string_view text = trim(line);
    if (text.empty() || text.front() == '#') continue;
    const auto cells = split_cells(text);
    if (!header) {
      if (cells.size() != 4 || cells[0] != "symbol" || cells[1] != "date" || cells[2] != "type" ||
          cells[3] != "value")
        throw DataError(file, number, "expected the header 'symbol,date,type,value'");
      header = true;
      continue;
    }
    if (cells.size() != 4)
      throw DataError(file, number, "expected 4 cells (symbol,date,type,value), got " +
                                        std::to_string(cells.size()));
    CorporateAction a;
    const auto date = parse_date(cells[1]);
    if (!date) throw DataError(file, number, "bad date '" + std::string(cells[1]) + "' (YYYY-MM-DD)");
    a.date = *date;
    if (cells[2] == "split")
      a.type = CorporateAction::Type::Split;
    else if (cells[2] == "dividend")
      a.type = CorporateAction::Type::Dividend;
    else
      throw DataError(file, number,
                      "unknown type '" + std::string(cells[2]) + "' (expected split or dividend)");
    const auto* first = cells[3].data();
    const auto* last = first + cells[3].size();
    const auto parsed = fast_float::from_chars(first, last, a.value);
    if (parsed.ec != std::errc() || parsed.ptr != last || !std::isfinite(a.value))
      throw DataError(file, number, "bad value '" + std::string(cells[3]) + "'");
    if (a.type == CorporateAction::Type::Split && !(a.value > 0))
      throw DataError(file, number, "a split ratio must be > 0");
    if (a.type == CorporateAction::Type::Dividend && a.value < 0)
      throw DataError(file, number, "a dividend must be >= 0");
    a.symbol = symbols.find(cells[0]);
    if (a.symbol == kNoSymbol) continue;
    if (!only.empty() && std::find(only.begin(), only.end(), a.symbol) == only.end()) continue;
    out.add(a);
  }
  if (!header) throw DataError(file, number, "empty corporate actions file (no header)");
}

CorporateActions load_corporate_actions(const SymbolTable& symbols,
                                        const std::vector<const DataSourceConfig*>& source_of) {
  CorporateActions out(symbols.size());
  std::vector<const DataSourceConfig*> done;
  for (const DataSourceConfig* src : source_of) {
    if (!src || src->corporate_actions.empty() || src->price_mode != "raw") continue;
    if (std::find(done.begin(), done.end(), src) != done.end()) continue;
    done.push_back(src);
    std::vector<SymbolId> loaded;
    for (SymbolId s = 0; s < source_of.size(); ++s)
      if (source_of[s] == src) loaded.push_back(s);
    read_corporate_actions(src->corporate_actions, symbols, out, loaded);
  }
  return out;
}

std::span<const CorporateAction> due_actions(std::span<const CorporateAction> actions,
                                             std::size_t& next, Timestamp ts) {
  const std::size_t begin = next;
  while (next < actions.size() && actions[next].date <= ts) ++next;
  return actions.subspan(begin, next - begin);
}

}  // namespace qtrader
