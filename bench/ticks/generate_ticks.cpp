// One year of one symbol's trade ticks from a seeded model, for
// bench/ticks/run_tick_bench.sh: every weekday of 2024, 14:30-21:00 UTC (the
// New York session in winter), prices a random walk in cents, sizes in round
// lots with a heavy tail. Usage: generate_ticks OUT.csv [TICKS=25000000] [SEED=42]
// Same arguments, same file, byte for byte.
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT.csv [TICKS] [SEED]\n", argv[0]);
    return 2;
  }
  const long long total = argc > 2 ? std::atoll(argv[2]) : 25'000'000LL;
  const unsigned long long seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 42;
  std::FILE* out = std::fopen(argv[1], "wb");
  if (!out) {
    std::perror(argv[1]);
    return 1;
  }
  using namespace std::chrono;
  std::vector<sys_days> sessions;
  for (sys_days d = sys_days{year{2024} / January / 1}; d < sys_days{year{2025} / January / 1}; d += std::chrono::days{1}) {
    const unsigned wd = weekday{d}.c_encoding();
    if (wd != 0 && wd != 6) sessions.push_back(d);
  }
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::geometric_distribution<int> lots(0.35);
  long long cents = 10000;  // 100.00
  const long long session_us = 390LL * 60 * 1'000'000;  // 6.5 hours
  std::vector<char> buf(1 << 20);
  std::size_t used = 0;
  auto flush = [&] {
    std::fwrite(buf.data(), 1, used, out);
    used = 0;
  };
  std::fputs("timestamp,price,size\n", out);
  for (std::size_t di = 0; di < sessions.size(); ++di) {
    const long long n = total / static_cast<long long>(sessions.size()) +
                        (static_cast<long long>(di) < total % static_cast<long long>(sessions.size()) ? 1 : 0);
    const year_month_day ymd{sessions[di]};
    char date[12];
    std::snprintf(date, sizeof date, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    const double step = static_cast<double>(session_us) / static_cast<double>(n);
    for (long long i = 0; i < n; ++i) {
      // Evenly spread with jitter inside each slot: times never go back.
      const long long us = 14LL * 3600 * 1'000'000 + 30LL * 60 * 1'000'000 +
                           static_cast<long long>((static_cast<double>(i) + unit(rng)) * step);
      const double u = unit(rng);
      if (u < 0.25) cents -= 1;
      else if (u > 0.75) cents += 1;
      if (cents < 100) cents = 100;
      const int size = 100 * (1 + lots(rng));
      if (buf.size() - used < 128) flush();
      char* p = buf.data() + used;
      const long long sec = us / 1'000'000, frac = us % 1'000'000;
      p += std::snprintf(p, 64, "%s %02lld:%02lld:%02lld.%06lld,", date, sec / 3600, sec / 60 % 60,
                         sec % 60, frac);
      p = std::to_chars(p, p + 24, cents / 100).ptr;
      *p++ = '.';
      *p++ = static_cast<char>('0' + cents % 100 / 10);
      *p++ = static_cast<char>('0' + cents % 10);
      *p++ = ',';
      p = std::to_chars(p, p + 12, size).ptr;
      *p++ = '\n';
      used = static_cast<std::size_t>(p - buf.data());
    }
  }
  flush();
  return std::fclose(out) == 0 ? 0 : 1;
}
