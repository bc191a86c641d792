#include "engine/symbol_coverage.hpp"

#include <stdexcept>

#include "qtrader/snapshot_json.hpp"

#include <spdlog/spdlog.h>

#include "qtrader/run_log.hpp"
#include "qtrader/time.hpp"

namespace qtrader {

SymbolCoverage::SymbolCoverage(EventBus& bus, const SymbolTable& symbols)
    : symbols_(symbols), spans_(symbols.size()) {
  bus.subscribe<BarEvent>([this](const BarEvent& e) {
    Span& s = spans_[e.bar.symbol];
    if (!s.seen) s.first = e.bar.ts;
    s.seen = true;
    s.last = e.bar.ts;
  });
}

std::vector<RunSummary::PartialCoverage> SymbolCoverage::partial(Timestamp first,
                                                                 Timestamp last) const {
  std::vector<RunSummary::PartialCoverage> out;
  for (SymbolId id = 0; id < spans_.size(); ++id) {
    const Span& s = spans_[id];
    const bool late = !s.seen || s.first > first;
    const bool early = !s.seen || s.last < last;
    if (!late && !early) continue;
    out.push_back({symbols_.name(id), s.seen ? format_timestamp(s.first) : "",
                   s.seen ? format_timestamp(s.last) : "", late, early});
  }
  return out;
}

void SymbolCoverage::warn(Timestamp first, Timestamp last, StalePolicy policy) const {
  const std::string run = format_timestamp(first) + " .. " + format_timestamp(last);
  for (const auto& p : partial(first, last)) {
    if (p.first_bar.empty()) {
      run_log().warn("{}: no bar in the run ({})", p.symbol, run);
      continue;
    }
    std::string what = p.starts_late && p.ends_early ? "starts late and ends early"
                       : p.starts_late                ? "starts late"
                                                      : "ends early";
    std::string stale;
    if (p.ends_early && policy == StalePolicy::Keep)
      stale = "; a position in it stays marked at its last close (data.stale_policy: keep)";
    else if (p.ends_early)
      stale = "; a position in it was closed at its last bar's close (data.stale_policy: close)";
    run_log().warn("{}: data {}: {} .. {} of the run's {}{}", p.symbol, what, p.first_bar,
                 p.last_bar, run, stale);
  }
}

}  // namespace qtrader

namespace qtrader {

std::string SymbolCoverage::snapshot() const {
  snapshot_json::Json spans = snapshot_json::Json::array();
  for (const Span& s : spans_) spans.push_back({s.first, s.last, s.seen});
  return spans.dump();
}

void SymbolCoverage::restore(std::string_view text) {
  const auto spans = snapshot_json::Json::parse(text);
  if (spans.size() != spans_.size()) throw std::runtime_error("checkpoint: the coverage is of other symbols");
  for (std::size_t i = 0; i < spans_.size(); ++i) {
    spans_[i].first = spans[i][0].get<Timestamp>();
    spans_[i].last = spans[i][1].get<Timestamp>();
    spans_[i].seen = spans[i][2].get<bool>();
  }
}

}  // namespace qtrader
