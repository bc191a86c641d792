#include "strategy/timeframe_streams.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace qtrader {


TimeframeStreams::TimeframeStreams(std::size_t symbol_count) : symbols_(symbol_count) {}

void TimeframeStreams::set_source(SymbolId s, TimeZone zone, Timeframe bar_size, Timeframe known_size) {
  auto& c = symbols_.at(s);
  c.zone = std::move(zone);
  c.bar_size = bar_size;
  c.known_size = bar_size.is_source() ? known_size : bar_size;
  c.source_name = bar_size.name();
}

std::string TimeframeStreams::too_fine(SymbolId s, const Timeframe& tf) const {
  const auto& c = symbols_.at(s);
  const Timestamp step = c.known_size.nominal_length();
  if (tf.is_source() || step == 0 || tf.nominal_length() >= step) return {};
  return c.bar_size.is_source()
             ? fmt::format("timeframe {} is finer than the source's daily bars", tf.name())
             : fmt::format("timeframe {} is finer than the source's bar_size {}", tf.name(), c.bar_size.name());
}

int TimeframeStreams::stream(SymbolId s, const Timeframe& tf) {
  auto& c = symbols_.at(s);
  if (tf.is_source() || tf == c.bar_size) return -1;
  const Timestamp step = c.bar_size.nominal_length();
  if (const std::string refused = too_fine(s, tf); !refused.empty()) throw std::invalid_argument(refused);
  for (int i : c.streams)
    if (streams_[static_cast<std::size_t>(i)].consolidator.timeframe() == tf) return i;
  // Days and weeks end on the local midnight, which a source bar's end
  // reaches only when the bars run round the clock: a known step still
  // lets the last bar of the day close the window.
  streams_.push_back(Stream{BarConsolidator(tf, c.zone, step, c.started), tf.name()});
  const int index = static_cast<int>(streams_.size() - 1);
  c.streams.push_back(index);
  return index;
}

std::span<const int> TimeframeStreams::add(const Bar& bar) {
  started_ = true;
  auto& c = symbols_[bar.symbol];
  c.started = true;
  for (int i : c.streams) {
    Stream& st = streams_[static_cast<std::size_t>(i)];
    st.count = st.consolidator.add(bar, st.done);
  }
  return c.streams;
}

std::string_view split_timeframe(std::string_view field, Timeframe& tf) {
  tf = Timeframe{};
  const auto at = field.find('@');
  if (at == std::string_view::npos) return field;
  const auto parsed = parse_timeframe(field.substr(at + 1));
  if (!parsed)
    throw std::invalid_argument(fmt::format(
        "unknown timeframe '{}' in '{}' (expected e.g. \"5m\", \"15m\", \"1h\", \"1d\", \"1w\")",
        field.substr(at + 1), field));
  tf = *parsed;
  return field.substr(0, at);
}

}  // namespace qtrader
