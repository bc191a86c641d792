// Corporate actions (splits and cash dividends) read from a per-source CSV:
//
//   symbol,date,type,value
//   NVDA,2000-06-27,split,2        # 2 new shares per old share
//   ORCL,2009-04-07,dividend,0.05  # cash per share, on the ex-date
//
// In price_mode raw the portfolio and execution apply them as of the first bar
// of the symbol dated on or after the action's date (the ex-date).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/symbol_table.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

struct CorporateAction {
  enum class Type : std::uint8_t { Split, Dividend };
  SymbolId symbol = kNoSymbol;
  Timestamp date = 0;  // the ex-date, 00:00 UTC
  Type type = Type::Split;
  double value = 0.0;  // split: new shares per old share (> 0); dividend: cash per share
};

// The actions of a run, by symbol and date. Read-only once built.
class CorporateActions {
 public:
  CorporateActions() = default;
  explicit CorporateActions(std::size_t symbol_count) : by_symbol_(symbol_count) {}

  // Keeps each symbol's actions in date order (stable for equal dates).
  void add(const CorporateAction& action);
  std::span<const CorporateAction> of(SymbolId s) const {
    return s < by_symbol_.size() ? std::span<const CorporateAction>(by_symbol_[s])
                                 : std::span<const CorporateAction>();
  }
  bool empty() const noexcept;

 private:
  std::vector<std::vector<CorporateAction>> by_symbol_;
};

// Reads `file` (header "symbol,date,type,value"; blank lines and lines starting
// with '#' skipped). Rows for symbols not in `symbols` are skipped; rows for
// symbols in `only` (when not empty) are kept. Throws DataError(file, line,
// reason) for an unreadable file, a bad header, a malformed date, an unknown
// type, a non-finite value, a split ratio <= 0 or a negative dividend.
void read_corporate_actions(const std::string& file, const SymbolTable& symbols,
                            CorporateActions& out, const std::vector<SymbolId>& only = {});

// The actions of every source in price_mode raw that names a corporate_actions
// file, for the symbols it loads (`source_of` by symbol id). Adjusted sources
// are skipped: their prices already carry the actions.
CorporateActions load_corporate_actions(const SymbolTable& symbols,
                                        const std::vector<const DataSourceConfig*>& source_of);

// Applies a cursor over one symbol's actions: returns the actions dated on or
// before `ts` that `next` (an index kept by the caller) has not passed yet, and
// advances it.
std::span<const CorporateAction> due_actions(std::span<const CorporateAction> actions,
                                             std::size_t& next, Timestamp ts);

}  // namespace qtrader
