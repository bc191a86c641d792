// Which points of a grid a sweep runs: random samples and shards
// (qtrader/sweep.hpp, SweepSelection).
#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>

#include "qtrader/sweep.hpp"

namespace qtrader {

namespace {

// splitmix64, and an unbiased draw in [0, bound] by rejection: both are fixed
// algorithms, unlike std::uniform_int_distribution, whose draws differ between
// standard libraries. A sample must name the same points on every machine.
struct Draws {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t up_to(std::uint64_t bound) {
    if (bound == UINT64_MAX) return next();
    const std::uint64_t range = bound + 1;
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % range;
    for (;;)
      if (const std::uint64_t x = next(); x < limit) return x % range;
  }
};

std::size_t parse_count(std::string_view text, const std::string& flag) {
  std::size_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    throw SweepError(fmt::format("--shard {}: expected I/N with whole numbers, 0 <= I < N", flag));
  return v;
}

}  // namespace

std::vector<std::size_t> selected_points(std::size_t grid_points, const SweepSelection& s) {
  if (s.shard_count == 0 || s.shard_index >= s.shard_count)
    throw SweepError(fmt::format("--shard {}/{}: the index must be below the count", s.shard_index, s.shard_count));
  std::vector<std::size_t> points;
  if (s.random == 0 || s.random >= grid_points) {
    points.resize(grid_points);
    for (std::size_t p = 0; p < grid_points; ++p) points[p] = p;
  } else {
    // Floyd's sampling: `random` distinct points, each subset equally likely.
    Draws draws{s.seed};
    std::set<std::size_t> chosen;
    for (std::size_t j = grid_points - s.random; j < grid_points; ++j) {
      const std::size_t t = static_cast<std::size_t>(draws.up_to(j));
      chosen.insert(chosen.count(t) ? j : t);
    }
    points.assign(chosen.begin(), chosen.end());
  }
  if (s.shard_count == 1) return points;
  std::vector<std::size_t> slice;
  for (std::size_t i = s.shard_index; i < points.size(); i += s.shard_count) slice.push_back(points[i]);
  return slice;
}

std::string whole_selection_text(const SweepSelection& s) {
  return s.random ? fmt::format("random {} seed {}", s.random, s.seed) : "all";
}

std::string selection_text(const SweepSelection& s) {
  const std::string whole = whole_selection_text(s);
  return s.shard_count > 1 ? fmt::format("{}, shard {}/{}", whole, s.shard_index, s.shard_count) : whole;
}

SweepSelection parse_shard(const std::string& text, SweepSelection base) {
  const auto slash = text.find('/');
  if (slash == std::string::npos)
    throw SweepError(fmt::format("--shard {}: expected I/N with whole numbers, 0 <= I < N", text));
  base.shard_index = parse_count(std::string_view(text).substr(0, slash), text);
  base.shard_count = parse_count(std::string_view(text).substr(slash + 1), text);
  if (base.shard_count == 0 || base.shard_index >= base.shard_count)
    throw SweepError(fmt::format("--shard {}: expected I/N with whole numbers, 0 <= I < N", text));
  return base;
}

}  // namespace qtrader
