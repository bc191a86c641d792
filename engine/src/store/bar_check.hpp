// The check value of a symbol's bars kept by reference (sqlite_bar_refs.hpp):
// a 64-bit mix of every field's bits in order, computed by the store as the
// bars are published and again by the reader over the bars it reads from the
// cache file, so bars that differ in any bit are an error, never a result.
#pragma once

#include <bit>
#include <cstdint>

#include "qtrader/types.hpp"

namespace qtrader::bar_check {

inline constexpr std::uint64_t kSeed = 0x9E3779B185EBCA87ull;

// XXH64's round, one per field: cheap enough for every bar of a run.
inline std::uint64_t mix(std::uint64_t acc, std::uint64_t word) noexcept {
  acc += word * 0xC2B2AE3D27D4EB4Full;
  acc = std::rotl(acc, 31);
  return acc * 0x9E3779B185EBCA87ull;
}

inline std::uint64_t add(std::uint64_t acc, Timestamp ts, double open, double high, double low, double close,
                         double volume, double adj_close) noexcept {
  acc = mix(acc, static_cast<std::uint64_t>(ts));
  acc = mix(acc, std::bit_cast<std::uint64_t>(open));
  acc = mix(acc, std::bit_cast<std::uint64_t>(high));
  acc = mix(acc, std::bit_cast<std::uint64_t>(low));
  acc = mix(acc, std::bit_cast<std::uint64_t>(close));
  acc = mix(acc, std::bit_cast<std::uint64_t>(volume));
  return mix(acc, std::bit_cast<std::uint64_t>(adj_close));
}

}  // namespace qtrader::bar_check
