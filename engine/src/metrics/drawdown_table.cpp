// The table of drawdowns: each spell of day-end equity below its running peak.
#include <algorithm>

#include "metrics/tearsheet.hpp"
#include "qtrader/time.hpp"

namespace qtrader::metrics {

namespace {

struct Spell {
  double depth = 0.0;
  Timestamp start = 0, first = 0, trough = 0, last = 0, recovery = -1;
  std::size_t days = 0;
};

DrawdownPeriod to_period(const Spell& s, Timestamp last_day) {
  DrawdownPeriod p;
  p.depth = s.depth;
  p.start = format_date(s.start);
  p.first_underwater = format_date(s.first);
  p.trough = format_date(s.trough);
  p.last_underwater = format_date(s.last);
  if (s.recovery >= 0) p.recovery = format_date(s.recovery);
  p.duration_days = static_cast<double>((s.recovery >= 0 ? s.recovery : last_day) - s.start) / kNsPerDay;
  p.days_underwater = s.days;
  return p;
}

}  // namespace

std::vector<DrawdownPeriod> worst_drawdowns(double initial, const std::vector<DayValue>& days,
                                            std::size_t count) {
  std::vector<Spell> spells;
  if (days.empty()) return {};
  // As max_drawdown: the initial equity is a peak reached on the first day.
  double peak = initial;
  Timestamp peak_day = days.front().day;
  bool under = false;
  for (const auto& d : days) {
    if (d.equity >= peak) {
      if (under) spells.back().recovery = d.day;
      under = false;
      peak = d.equity;
      peak_day = d.day;
      continue;
    }
    const double dd = d.equity / peak - 1.0;
    if (!under) {
      spells.push_back({dd, peak_day, d.day, d.day, d.day, -1, 0});
      under = true;
    }
    Spell& s = spells.back();
    if (dd < s.depth) {
      s.depth = dd;
      s.trough = d.day;
    }
    s.last = d.day;
    ++s.days;
  }
  // Deepest first; equal depths keep their order in time.
  std::stable_sort(spells.begin(), spells.end(),
                   [](const Spell& a, const Spell& b) { return a.depth < b.depth; });
  if (spells.size() > count) spells.resize(count);
  std::vector<DrawdownPeriod> out;
  out.reserve(spells.size());
  for (const auto& s : spells) out.push_back(to_period(s, days.back().day));
  return out;
}

}  // namespace qtrader::metrics
