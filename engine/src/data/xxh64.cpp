#include "data/xxh64.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <vector>

#include <xxhash.h>

namespace qtrader::data_detail {

std::uint64_t xxh64(std::string_view s) noexcept { return XXH64(s.data(), s.size(), 0); }

std::optional<std::uint64_t> xxh64_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  const std::unique_ptr<XXH64_state_t, decltype(&XXH64_freeState)> state(XXH64_createState(),
                                                                          &XXH64_freeState);
  std::vector<unsigned char> buffer(1 << 20);
  bool ok = state && XXH64_reset(state.get(), 0) == XXH_OK;
  while (ok) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    ok = XXH64_update(state.get(), buffer.data(), static_cast<std::size_t>(n)) == XXH_OK;
  }
  ::close(fd);
  if (!ok) return std::nullopt;
  return XXH64_digest(state.get());
}

}  // namespace qtrader::data_detail
