#include "qtrader/hash.hpp"

#include <fstream>
#include <iterator>

#include <fmt/format.h>

namespace qtrader {

std::string hash_hex(std::uint64_t h) { return fmt::format("{:016x}", h); }

std::string file_hash_hex(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return hash_hex(fnv1a64(bytes));
}

}  // namespace qtrader
