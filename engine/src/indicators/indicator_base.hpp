// Shared plumbing of every indicator: the history of its output lines, which
// value(line, ago) reads. Each update publishes one value per line (NaN while
// the indicator is warming up), so `ago` counts bars of the symbol.
#pragma once

#include <array>

#include "indicators/ring_buffer.hpp"
#include "qtrader/indicators.hpp"

namespace qtrader::indicators {

template <int Lines>
class IndicatorBase : public Indicator {
 public:
  explicit IndicatorBase(int history) {
    for (auto& line : lines_) line = RingBuffer(history);
  }

  int outputs() const noexcept override { return Lines; }

  double value(int line = 0, int ago = 0) const noexcept override {
    if (line < 0 || line >= Lines) return kNaN;
    return lines_[static_cast<std::size_t>(line)].ago_or_nan(ago);
  }

 protected:
  template <class... Values>
  void publish(Values... values) noexcept {
    static_assert(sizeof...(Values) == Lines, "one value per output line");
    std::size_t i = 0;
    (lines_[i++].push(static_cast<double>(values)), ...);
  }

  void publish_undefined() noexcept {
    for (auto& line : lines_) line.push(kNaN);
  }

 private:
  std::array<RingBuffer, Lines> lines_;
};

}  // namespace qtrader::indicators
