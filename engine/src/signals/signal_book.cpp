#include "signals/signal_book.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "qtrader/errors.hpp"
#include "signals/signal_file.hpp"

namespace qtrader {

void SignalBook::Series::rank() {
  best.assign(entries.size(), -1);
  int current = -1;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const Entry& e = entries[i];
    const bool withheld = embargo_bars > 0 && e.available >= cutoff &&
                          (window_end < 0 || e.available < window_end);
    // The latest observation wins; an equal timestamp made available later
    // (a revision) replaces the earlier one.
    if (!withheld && (current < 0 || e.ts >= entries[static_cast<std::size_t>(current)].ts))
      current = static_cast<int>(i);
    best[i] = current;
  }
}

SignalBook::SignalBook(const std::vector<SignalSourceSpec>& sources, const SymbolTable& symbols, EventBus* bus)
    : embargoed_(symbols.size()) {
  std::map<std::string, std::string, std::less<>> owner;  // signal name -> source
  for (const SignalSourceSpec& spec : sources) {
    const signals_detail::SignalFile file = signals_detail::read_signal_file(spec);
    sources_.push_back({spec.name, spec.file, spec.version, fmt::format("{:016x}", file.hash), file.rows.size()});
    for (const auto& row : file.rows) {
      const auto [it, fresh] = owner.emplace(row.name, spec.name);
      if (!fresh && it->second != spec.name)
        throw ConfigError(spec.where.file, spec.where.line, "signals",
                          fmt::format("signal '{}' of source '{}' is also defined by source '{}'", row.name,
                                      spec.name, it->second));
      auto& by_symbol = series_[row.name];
      if (by_symbol.empty()) by_symbol.resize(symbols.size());
      const SymbolId sym = symbols.find(row.symbol);
      if (sym == kNoSymbol) continue;
      Series& s = by_symbol[sym];
      s.cutoff = spec.embargo_cutoff;
      s.embargo_bars = spec.embargo_bars;
      s.entries.push_back({row.available, row.ts, row.value});
    }
  }
  for (auto& [name, by_symbol] : series_)
    for (SymbolId sym = 0; sym < by_symbol.size(); ++sym) {
      Series& s = by_symbol[sym];
      std::stable_sort(s.entries.begin(), s.entries.end(),
                       [](const Entry& a, const Entry& b) { return a.available < b.available; });
      s.rank();
      if (s.embargo_bars > 0 && !s.entries.empty()) embargoed_[sym].push_back(&s);
    }
  const bool any_embargo = std::any_of(embargoed_.begin(), embargoed_.end(), [](const auto& v) { return !v.empty(); });
  if (bus && any_embargo)
    bus->subscribe<BarEvent>([this](const BarEvent& e) { note_bar(e.bar.symbol, e.bar.ts); });
}

void SignalBook::note_bar(SymbolId symbol, Timestamp ts) {
  if (symbol >= embargoed_.size() || embargoed_[symbol].empty()) return;
  auto& waiting = embargoed_[symbol];
  for (Series* s : waiting)
    if (ts >= s->cutoff && ++s->bars_seen > s->embargo_bars) {
      s->window_end = ts;
      s->rank();
    }
  std::erase_if(waiting, [](const Series* s) { return s->window_end >= 0; });
}

std::optional<double> SignalBook::latest(std::string_view name, SymbolId symbol, Timestamp now) const {
  const auto it = series_.find(name);
  if (it == series_.end()) {
    std::string known;
    for (const auto& [n, _] : series_) known += (known.empty() ? "" : ", ") + n;
    throw std::invalid_argument(fmt::format("no signal source defines '{}' (known: {})", name,
                                            known.empty() ? "none" : known));
  }
  if (symbol >= it->second.size()) return std::nullopt;
  const Series& s = it->second[symbol];
  // While the embargo window is open, nothing at or after the cutoff is seen.
  Timestamp limit = now;
  if (s.embargo_bars > 0 && s.window_end < 0) limit = std::min(limit, s.cutoff - 1);
  const auto end = std::upper_bound(s.entries.begin(), s.entries.end(), limit,
                                    [](Timestamp t, const Entry& e) { return t < e.available; });
  if (end == s.entries.begin()) return std::nullopt;
  const int b = s.best[static_cast<std::size_t>(end - s.entries.begin() - 1)];
  if (b < 0) return std::nullopt;
  return s.entries[static_cast<std::size_t>(b)].value;
}

}  // namespace qtrader
