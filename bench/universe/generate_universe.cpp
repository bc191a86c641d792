// Builds a large, realistic universe for benchmarks from the real daily files
// in data/sample, deterministically (fixed seed, no download):
// symbol i takes a window of `bars` consecutive rows from one of the real
// series, scales its prices by a factor in [0.5, 2], and re-dates the rows onto
// a common calendar of weekdays starting 2000-01-03. Output: one Yahoo-layout
// CSV per symbol (B0000.csv ...), a data-sources file and the list of symbols.
//
// usage: generate_universe SAMPLE_DIR OUT_DIR SYMBOLS BARS [SEED]
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "qtrader/time.hpp"

namespace fs = std::filesystem;

namespace {

struct Row {
  double open, high, low, close, adj_close, volume;
};

std::vector<Row> read_yahoo(const fs::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::vector<Row> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::string date, cell;
    std::getline(cells, date, ',');
    Row r{};
    double* fields[] = {&r.open, &r.high, &r.low, &r.close, &r.adj_close, &r.volume};
    for (double* f : fields) {
      std::getline(cells, cell, ',');
      *f = std::stod(cell);
    }
    rows.push_back(r);
  }
  return rows;
}

// splitmix64: tiny, well-distributed and identical everywhere.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

std::vector<std::string> weekdays(std::size_t n) {
  std::vector<std::string> out;
  qtrader::Timestamp t = *qtrader::parse_date("2000-01-03");
  while (out.size() < n) {
    const long day = static_cast<long>(t / qtrader::kNanosPerDay);
    const long weekday = (day + 4) % 7;  // 1970-01-01 was a Thursday (4)
    if (weekday != 0 && weekday != 6) out.push_back(qtrader::format_date(t));
    t += qtrader::kNanosPerDay;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s SAMPLE_DIR OUT_DIR SYMBOLS BARS [SEED]\n", argv[0]);
    return 2;
  }
  const fs::path sample = argv[1], out = argv[2];
  const int symbols = std::stoi(argv[3]);
  const std::size_t bars = std::stoul(argv[4]);
  Rng rng{argc > 5 ? std::stoull(argv[5]) : 20240101ULL};

  std::vector<std::vector<Row>> series;
  for (const char* name : {"ORCL.csv", "YHOO.csv", "NVDA.csv"}) series.push_back(read_yahoo(sample / name));
  const auto dates = weekdays(bars);
  fs::create_directories(out);

  std::ofstream list(out / "symbols.txt");
  for (int i = 0; i < symbols; ++i) {
    const auto& src = series[static_cast<std::size_t>(i) % series.size()];
    if (src.size() < bars) throw std::runtime_error("a sample series is shorter than BARS");
    const std::size_t offset = rng.next() % (src.size() - bars + 1);
    const double scale = 0.5 + 1.5 * rng.uniform();
    const std::string symbol = fmt::format("B{:04}", i);
    std::string text = "Date,Open,High,Low,Close,Adj Close,Volume\n";
    for (std::size_t k = 0; k < bars; ++k) {
      const Row& r = src[offset + k];
      text += fmt::format("{},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.0f}\n", dates[k], r.open * scale,
                          r.high * scale, r.low * scale, r.close * scale, r.adj_close * scale,
                          r.volume);
    }
    std::ofstream(out / (symbol + ".csv"), std::ios::binary) << text;
    list << symbol << "\n";
  }
  std::printf("%d symbols x %zu bars in %s\n", symbols, bars, out.c_str());
  return 0;
}
