#include "venue_bars.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace qtrader::fix_venue {

namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) {
    if (!cell.empty() && cell.back() == '\r') cell.pop_back();
    out.push_back(cell);
  }
  return out;
}

}  // namespace

const VenueBar* VenueMarket::bar(const std::string& symbol, const std::string& date) const {
  const auto s = bars.find(symbol);
  if (s == bars.end()) return nullptr;
  const auto b = s->second.find(date);
  return b == s->second.end() ? nullptr : &b->second;
}

void load_bars(VenueMarket& market, const std::string& symbol, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot read");
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  const auto column = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) throw std::runtime_error(path + ":1: no column " + name);
    return static_cast<std::size_t>(it - header.begin());
  };
  const std::size_t date = column("Date"), open = column("Open"), high = column("High"), low = column("Low"),
                    close = column("Close"), volume = column("Volume");
  auto& series = market.bars[symbol];
  std::set<std::string> dates(market.dates.begin(), market.dates.end());
  for (int n = 2; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    const auto cells = split(line);
    if (cells.size() < header.size()) throw std::runtime_error(path + ":" + std::to_string(n) + ": too few columns");
    VenueBar b{cells[date], cells[open], cells[high], cells[low], cells[close], cells[volume]};
    try {
      b.o = std::stod(b.open);
      b.h = std::stod(b.high);
      b.l = std::stod(b.low);
      b.c = std::stod(b.close);
      (void)std::stod(b.volume);
    } catch (const std::exception&) {
      throw std::runtime_error(path + ":" + std::to_string(n) + ": not a number");
    }
    if (b.date.size() != 10) throw std::runtime_error(path + ":" + std::to_string(n) + ": date is not YYYY-MM-DD");
    dates.insert(b.date);
    series.emplace(b.date, std::move(b));
  }
  market.dates.assign(dates.begin(), dates.end());
}

}  // namespace qtrader::fix_venue
