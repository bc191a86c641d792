#include "execution/market_impact.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <stdexcept>

namespace qtrader {

ImpactWindows::ImpactWindows(int volatility_window, int adv_window)
    : vol_window_(volatility_window), adv_window_(adv_window),
      closes_(static_cast<std::size_t>(volatility_window) + 1), volumes_(static_cast<std::size_t>(adv_window)) {}

void ImpactWindows::observe(const Bar& bar) {
  closes_[n_closes_++ % closes_.size()] = bar.close;
  volumes_[n_volumes_++ % volumes_.size()] = bar.volume;
}

double ImpactWindows::sigma() const {
  if (n_closes_ < closes_.size()) return kNaN;
  // Oldest first, so the sums run in the same order whatever the ring's
  // position; two passes over the ring (mean, then squares), nothing allocated:
  // this runs for every fill.
  const std::size_t m = closes_.size();
  auto ret = [&](std::size_t k) {
    return closes_[(n_closes_ + k) % m] / closes_[(n_closes_ + k - 1) % m] - 1.0;
  };
  const std::size_t n = m - 1;
  double mean = 0.0;
  for (std::size_t k = 1; k < m; ++k) mean += ret(k);
  mean /= static_cast<double>(n);
  double ss = 0.0;
  for (std::size_t k = 1; k < m; ++k) ss += (ret(k) - mean) * (ret(k) - mean);
  return n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : 0.0;
}

double ImpactWindows::adv() const {
  if (n_volumes_ < volumes_.size()) return kNaN;
  const std::size_t m = volumes_.size();
  double sum = 0.0;
  for (std::size_t k = 0; k < m; ++k) sum += volumes_[(n_volumes_ + k) % m];
  return sum / static_cast<double>(m);
}

double impact_fraction(ImpactKind model, double coefficient, double quantity, double sigma, double adv) {
  if (model == ImpactKind::None || !std::isfinite(sigma) || !std::isfinite(adv) || !(adv > 0.0)) return 0.0;
  const double participation = quantity / adv;
  const double scale = model == ImpactKind::Sqrt ? std::sqrt(participation) : participation;
  return coefficient * sigma * scale;
}

MarketImpactModel::MarketImpactModel(const ImpactConfig& config, std::size_t symbol_count)
    : MarketImpactModel(std::vector<ImpactConfig>(symbol_count, config)) {}

MarketImpactModel::MarketImpactModel(std::vector<ImpactConfig> per_symbol)
    : enabled_(std::any_of(per_symbol.begin(), per_symbol.end(),
                           [](const ImpactConfig& c) { return c.model != ImpactKind::None; })) {
  // A run without impact keeps no windows and no per-symbol state at all.
  if (!enabled_) return;
  configs_ = std::move(per_symbol);
  windows_.reserve(configs_.size());
  for (const ImpactConfig& c : configs_)
    windows_.emplace_back(std::max(1, c.volatility_window), std::max(1, c.adv_window));
  shift_.assign(configs_.size(), 0.0);
}

double MarketImpactModel::impact(SymbolId s, double quantity, double reference) const {
  const ImpactWindows& w = windows_[s];
  const ImpactConfig& c = configs_[s];
  return reference * impact_fraction(c.model, c.coefficient, quantity, w.sigma(), w.adv());
}

ImpactFit calibrate_impact(std::span<const Bar> bars, std::span<const FillEvent> fills, const ImpactConfig& config) {
  ImpactWindows w(std::max(1, config.volatility_window), std::max(1, config.adv_window));
  double sxy = 0.0, sxx = 0.0, syy = 0.0;
  ImpactFit fit;
  std::size_t f = 0;
  for (const Bar& bar : bars) {
    const double sigma = w.sigma(), adv = w.adv();
    for (; f < fills.size() && fills[f].ts <= bar.ts; ++f) {
      const FillEvent& e = fills[f];
      if (e.ts != bar.ts || !std::isfinite(sigma) || !std::isfinite(adv) || !(adv > 0.0)) continue;
      // A fill at the bar's extreme may have been cut there: its move says
      // less than the impact, so it is left out (censored).
      if (e.side == Side::Buy ? e.price >= bar.high : e.price <= bar.low) continue;
      const double x = impact_fraction(config.model, 1.0, e.quantity, sigma, adv);
      const double move = (e.price - bar.open) / bar.open;
      const double y = e.side == Side::Buy ? move : -move;
      sxy += x * y;
      sxx += x * x;
      syy += y * y;
      ++fit.observations;
    }
    w.observe(bar);
  }
  if (fit.observations == 0 || sxx == 0.0) return fit;
  fit.coefficient = sxy / sxx;
  // Through the origin: R² against zero, 1 - SSE / Σy².
  const double sse = syy - fit.coefficient * sxy;
  fit.r_squared = syy > 0.0 ? 1.0 - sse / syy : 1.0;
  return fit;
}

}  // namespace qtrader

namespace qtrader {

std::vector<double> ImpactWindows::state() const {
  std::vector<double> out{static_cast<double>(n_closes_), static_cast<double>(n_volumes_)};
  out.insert(out.end(), closes_.begin(), closes_.end());
  out.insert(out.end(), volumes_.begin(), volumes_.end());
  return out;
}

void ImpactWindows::set_state(const std::vector<double>& state) {
  if (state.size() != 2 + closes_.size() + volumes_.size())
    throw std::runtime_error("checkpoint: the market impact windows have another size than the run's");
  n_closes_ = static_cast<std::size_t>(state[0]);
  n_volumes_ = static_cast<std::size_t>(state[1]);
  std::copy(state.begin() + 2, state.begin() + 2 + static_cast<std::ptrdiff_t>(closes_.size()), closes_.begin());
  std::copy(state.end() - static_cast<std::ptrdiff_t>(volumes_.size()), state.end(), volumes_.begin());
}

std::vector<std::vector<double>> MarketImpactModel::state() const {
  std::vector<std::vector<double>> out;
  for (const auto& w : windows_) out.push_back(w.state());
  return out;
}

void MarketImpactModel::set_state(const std::vector<std::vector<double>>& state) {
  if (state.size() != windows_.size())
    throw std::runtime_error("checkpoint: the market impact windows are of other symbols than the run's");
  for (std::size_t s = 0; s < state.size(); ++s) windows_[s].set_state(state[s]);
  std::fill(shift_.begin(), shift_.end(), 0.0);
}

}  // namespace qtrader
