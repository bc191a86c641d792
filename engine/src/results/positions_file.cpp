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
      f_(std::fopen(path.c_str(), "wb")), path_(path) {
  if (!f_) throw std::runtime_error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  std::fputs("timestamp,symbol,quantity,price,market_value,weight\n", f_);
  bus.subscribe<PortfolioStateEvent>([this](const PortfolioStateEvent& e) { on_state(e); });
}

PositionsFile::~PositionsFile() { close(); }

void PositionsFile::close() {
  if (!f_) return;
  flush_day();
  std::fclose(f_);
  f_ = nullptr;
}

void PositionsFile::on_state(const PortfolioStateEvent& e) {
  if (!f_) return;
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
    const double value = p.quantity * p.last_price;
    fmt::format_to(std::back_inserter(b), FMT_COMPILE("{},{},{},{},{},{}\n"), when,
                   symbols_.name(p.symbol), p.quantity, p.last_price, value,
                   equity_ != 0.0 ? value / equity_ : 0.0);
  }
  std::fwrite(b.data(), 1, b.size(), f_);
  have_day_ = false;
}

}  // namespace qtrader
