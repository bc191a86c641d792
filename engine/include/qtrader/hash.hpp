// Content hashes recorded with a run (scripts, configuration files), so a
// result can be traced to the exact inputs that made it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qtrader {

// 64-bit FNV-1a: not cryptographic; it identifies content, it does not protect it.
constexpr std::uint64_t fnv1a64(std::string_view data,
                                std::uint64_t h = 0xcbf29ce484222325ULL) noexcept {
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// The hash of a file's bytes as 16 hex digits; "" when it cannot be read.
std::string file_hash_hex(const std::string& path);
std::string hash_hex(std::uint64_t h);

}  // namespace qtrader
