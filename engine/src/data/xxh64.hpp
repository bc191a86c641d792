// XXH64 (xxHash, 64-bit, seed 0) from Debian's libxxhash: the content hash
// that keys the binary bar cache. Not cryptographic: it tells files apart, it
// does not protect them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qtrader::data_detail {

std::uint64_t xxh64(std::string_view s) noexcept;

// The XXH64 of a file's bytes, read in 1 MiB pieces (memory stays flat
// whatever the file's size); nullopt when it cannot be read.
std::optional<std::uint64_t> xxh64_file(const std::string& path);

}  // namespace qtrader::data_detail
