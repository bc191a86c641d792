// Market impact (docs/execution.md "Market impact"): the price a fill of q
// shares moves, from the symbol's recent volatility and volume.
//
//   sqrt    I = coefficient * sigma * sqrt(q / ADV) * reference
//   linear  I = coefficient * sigma * (q / ADV)     * reference
//
// sigma: sample standard deviation of the symbol's last `volatility_window`
// bar-to-bar close returns; ADV: mean volume of its last `adv_window` bars;
// both from bars strictly before the fill's bar (observe() is called once a
// bar's fills are done). No impact until both windows are full, nor when ADV
// is 0.
//
// Almgren–Chriss split: `permanent_fraction` of I is permanent — it moves the
// symbol's reference price, for every later fill of the same symbol on the
// same bar, by that amount in the fill's direction (buys up, sells down); the
// rest is temporary and affects this fill only. The shift is dropped at the
// symbol's next bar, whose prices already are the market's.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/events.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

// One symbol's rolling windows of closes and volumes.
class ImpactWindows {
 public:
  ImpactWindows(int volatility_window, int adv_window);
  void observe(const Bar& bar);
  // NaN until the windows are full.
  double sigma() const;
  double adv() const;
  // A checkpoint's part: the counts, then the rings (closes, volumes), and back.
  std::vector<double> state() const;
  void set_state(const std::vector<double>& state);

 private:
  int vol_window_, adv_window_;
  std::vector<double> closes_;   // ring of vol_window_ + 1
  std::vector<double> volumes_;  // ring of adv_window_
  std::size_t n_closes_ = 0, n_volumes_ = 0;
};

// The impact per share as a fraction of the reference price, for `quantity`
// at `sigma` and `adv` (0 when either is NaN or ADV is 0).
double impact_fraction(ImpactKind model, double coefficient, double quantity, double sigma, double adv);

class MarketImpactModel {
 public:
  MarketImpactModel(const ImpactConfig& config, std::size_t symbol_count);
  // One model per symbol (execution.impact.symbols).
  explicit MarketImpactModel(std::vector<ImpactConfig> per_symbol);
  bool enabled() const noexcept { return enabled_; }
  // The symbol's next bar begins: the permanent shift of the last one goes.
  void begin_bar(SymbolId s) { shift_[s] = 0.0; }
  // The bar's fills are done: its close and volume join the windows.
  void observe(const Bar& bar) { windows_[bar.symbol].observe(bar); }
  // The reference price for a fill: `match_price` moved by the bar's permanent impact so far.
  double reference(SymbolId s, double match_price) const { return match_price + shift_[s]; }
  // The impact of a fill of `quantity` at `reference` (price units, >= 0).
  double impact(SymbolId s, double quantity, double reference) const;
  // The fill went ahead: its permanent part moves the symbol's later fills of this bar.
  // Checkpoints: each symbol's windows (the shift is 0 between bars).
  std::vector<std::vector<double>> state() const;
  void set_state(const std::vector<std::vector<double>>& state);
  void commit(SymbolId s, Side side, double impact) {
    const double permanent = impact * configs_[s].permanent_fraction;
    shift_[s] += side == Side::Buy ? permanent : -permanent;
  }

 private:
  std::vector<ImpactConfig> configs_;  // by symbol (empty when no symbol has impact)
  bool enabled_ = false;
  std::vector<ImpactWindows> windows_;
  std::vector<double> shift_;  // signed permanent impact of the current bar
};

// `qtrader`'s calibration helper: the coefficient that best explains a
// symbol's fills by least squares through the origin, y = coefficient * x,
// with y = the fill's signed price move over its bar's open as a fraction of
// the open (positive against the order) and x = sigma * sqrt(q/ADV) (sqrt)
// or sigma * q/ADV (linear), sigma and ADV from the bars before each fill as
// execution computes them. `bars` ascending, one symbol; fills of market
// orders at the open (others would mix in their own price). Fills at the
// bar's high (buys) or low (sells) are left out: the range may have cut
// them. NaN when no fill has full windows.
struct ImpactFit {
  double coefficient = kNaN;
  std::size_t observations = 0;
  double r_squared = kNaN;
};
ImpactFit calibrate_impact(std::span<const Bar> bars, std::span<const FillEvent> fills, const ImpactConfig& config);

}  // namespace qtrader
