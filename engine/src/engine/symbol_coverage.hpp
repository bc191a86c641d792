// Which symbols' data starts after the run's first bar or ends before its
// last (docs/data.md "Coverage"): watched on the bars as they pass, so no file
// is read twice. Each such symbol gets one warning when the loop ends and an
// entry under `partial_coverage` in summary.json.
#pragma once

#include <string>
#include <string_view>

#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/event_bus.hpp"
#include "qtrader/events.hpp"
#include "qtrader/symbol_table.hpp"

namespace qtrader {

class SymbolCoverage {
 public:
  SymbolCoverage(EventBus& bus, const SymbolTable& symbols);

  // The symbols that do not cover [first, last], the run's first and last bar
  // (a symbol with no bar at all in the run is one of them, with empty dates).
  std::vector<RunSummary::PartialCoverage> partial(Timestamp first, Timestamp last) const;
  // One warning per partial symbol, saying what happens to its price.
  void warn(Timestamp first, Timestamp last, StalePolicy policy) const;
  // Checkpoints (docs/checkpoints.md): each symbol's span so far, and back.
  std::string snapshot() const;
  void restore(std::string_view json);

 private:
  struct Span {
    Timestamp first = 0, last = 0;
    bool seen = false;
  };
  const SymbolTable& symbols_;
  std::vector<Span> spans_;  // by symbol id
};

}  // namespace qtrader
