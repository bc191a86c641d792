// The byte form of the `bars` table's array columns: values as consecutive
// little-endian 8-byte words (int64 for seq and ts, IEEE double for prices),
// whatever the machine, so a file reads the same everywhere.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

namespace qtrader::bar_blob {

constexpr std::size_t kWord = 8;

inline void put(unsigned char* out, std::uint64_t bits) noexcept {
  if constexpr (std::endian::native == std::endian::big) bits = __builtin_bswap64(bits);
  std::memcpy(out, &bits, kWord);
}
inline void put(unsigned char* out, std::int64_t v) noexcept { put(out, static_cast<std::uint64_t>(v)); }
inline void put(unsigned char* out, double v) noexcept { put(out, std::bit_cast<std::uint64_t>(v)); }

inline std::uint64_t get_bits(const unsigned char* in) noexcept {
  std::uint64_t bits;
  std::memcpy(&bits, in, kWord);
  if constexpr (std::endian::native == std::endian::big) bits = __builtin_bswap64(bits);
  return bits;
}
inline std::int64_t get_int(const unsigned char* in) noexcept { return static_cast<std::int64_t>(get_bits(in)); }
inline double get_double(const unsigned char* in) noexcept { return std::bit_cast<double>(get_bits(in)); }

}  // namespace qtrader::bar_blob
