#include "results/positions_file.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fmt/compile.h>
#include <fmt/format.h>


namespace qtrader {

PositionsFile::PositionsFile(const std::string& path, EventBus& bus, const SymbolTable& symbols,
                             const TimestampFormat& times, TimeZone day_zone)
    : symbols_(symbols), times_(times), day_zone_(std::move(day_zone)),
      file_(path) {
  file_.write("timestamp,symbol,quantity,price,market_value,weight\n");
  bus.subscribe<PortfolioStateEvent>([this](const PortfolioStateEvent& e) { on_state(e); });
}

// On an exception path the last day's rows are still whole: written, then renamed.
PositionsFile::~PositionsFile() {
  try {
    if (file_.is_open()) flush_day();
  } catch (const std::exception&) {
    // the write failed: the .partial file stays (ResultFile)
  }
}

void PositionsFile::close() {
  if (!file_.is_open()) return;
  flush_day();
  file_.close();
}

void PositionsFile::on_state(const PortfolioStateEvent& e) {
  if (!file_.is_open()) return;
  if (have_day_ && day_zone_.local_day(e.ts) != day_zone_.local_day(ts_)) flush_day();
  have_day_ = true;
  ts_ = e.ts;
  equity_ = e.equity;
  positions_.assign(e.positions.begin(), e.positions.end());
}

void PositionsFile::flush_day() {
  if (!have_day_) return;
  fmt::memory_buffer b;
  const std::string when = times_(ts_);
  for (const PositionSnapshot& p : positions_) {
    double value = p.quantity * p.last_price;
    if (!multipliers_.empty()) value *= multipliers_[p.symbol];
    fmt::format_to(std::back_inserter(b), FMT_COMPILE("{},{},{},{},{},{}\n"), when,
                   symbols_.name(p.symbol), p.quantity, p.last_price, value,
                   equity_ != 0.0 ? value / equity_ : 0.0);
  }
  file_.write(std::string_view(b.data(), b.size()));
  have_day_ = false;
}

}  // namespace qtrader
