// The bar cache reader (engine/src/data/bar_cache_file.hpp): the input's
// first byte is a mode, the rest a cache file. The key is read from the
// file's own header, so the header checks pass when the fuzzer keeps the
// magic; mode bit 0 rewrites the body checksum and bit 1 the row count to
// match the file, so records reach the reader as they are (a file the
// checksum lets through must still never crash the reader); bits 2-4 choose
// the [start, end] window, which drives the binary search for the first row.
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include <xxhash.h>

#include "data/bar_cache_file.hpp"
#include "fuzz_support.hpp"
#include "qtrader/errors.hpp"

namespace {

using qtrader::Timestamp;
using namespace qtrader::data_detail;

template <typename T>
T load(const std::string& s, std::size_t at) {
  T v{};
  if (at + sizeof v <= s.size()) std::memcpy(&v, s.data() + at, sizeof v);
  return v;
}
template <typename T>
void store(std::string& s, std::size_t at, T v) {
  if (at + sizeof v <= s.size()) std::memcpy(s.data() + at, &v, sizeof v);
}

constexpr Timestamp kMin = std::numeric_limits<Timestamp>::min();
constexpr Timestamp kMax = std::numeric_limits<Timestamp>::max();
// t + d without the harness itself overflowing.
Timestamp plus(Timestamp t, std::int64_t d) {
  return static_cast<Timestamp>(static_cast<std::uint64_t>(t) + static_cast<std::uint64_t>(d));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  qtrader::fuzz::Selector in(data, size);
  const std::uint8_t mode = in.byte();
  std::string file(in.rest());
  if (file.size() >= kBarCacheHeaderSize) {
    const std::size_t body = file.size() - kBarCacheHeaderSize;
    if (mode & 2) store<std::uint64_t>(file, 40, body / kBarCacheRecordSize);
    if (mode & 1) {
      const auto rows = load<std::uint64_t>(file, 40);
      const std::size_t hashed = rows <= body / kBarCacheRecordSize ? rows * kBarCacheRecordSize : 0;
      store<std::uint64_t>(file, 64, XXH3_64bits(file.data() + kBarCacheHeaderSize, hashed));
    }
  }
  const BarCacheKey key{load<std::uint64_t>(file, 16), load<std::uint64_t>(file, 24),
                        load<std::uint64_t>(file, 32)};
  const Timestamp first = load<Timestamp>(file, 48), last = load<Timestamp>(file, 56);
  const Timestamp mid = first / 2 + last / 2;
  const Timestamp starts[] = {kMin, first, mid, last, kMax, 0, 86'400'000'000'000LL, plus(first, 1)};
  const Timestamp ends[] = {kMax, last, mid, first, kMin, 0, 86'400'000'000'000LL, plus(last, -1)};
  const Timestamp start = starts[(mode >> 2) % 8], end = ends[(mode >> 5) % 8];

  const std::string path = qtrader::fuzz::write_input("bars.qtbars", file);
  try {
    auto stream = open_bar_cache_file(path, key, 7, start, end);
    if (!stream) return 0;
    qtrader::Bar bar;
    std::uint64_t n = 0;
    while (stream->next(bar)) {
      if (bar.symbol != 7) __builtin_trap();
      if (++n > file.size() / kBarCacheRecordSize) __builtin_trap();  // more bars than records
    }
  } catch (const qtrader::DataError&) {
  }
  return 0;
}
