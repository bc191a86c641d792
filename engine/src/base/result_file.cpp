#include "base/result_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <unistd.h>

namespace qtrader {

ResultFile::ResultFile(std::string path) : path_(std::move(path)), partial_(path_ + ".partial") {
  f_ = std::fopen(partial_.c_str(), "wb");
  if (!f_) throw std::runtime_error(fmt::format("{}: cannot write: {}", partial_, std::strerror(errno)));
}

ResultFile::~ResultFile() { finish(); }

void ResultFile::write(std::string_view s) {
  if (!f_) return;
  if (std::fwrite(s.data(), 1, s.size(), f_) != s.size()) fail(errno);
}

void ResultFile::fail(int err) {
  errno_ = err != 0 ? err : EIO;
  if (f_) std::fclose(f_);
  f_ = nullptr;
  throw std::runtime_error(fmt::format("{}: cannot write: {}", partial_, std::strerror(errno_)));
}

bool ResultFile::finish() noexcept {
  if (!f_) return errno_ == 0;
  std::FILE* f = f_;
  f_ = nullptr;
  const bool flushed = std::fflush(f) == 0 && std::ferror(f) == 0;
  if (!flushed) errno_ = errno != 0 ? errno : EIO;
  if (std::fclose(f) != 0 && errno_ == 0) errno_ = errno != 0 ? errno : EIO;
  if (errno_ != 0) return false;
  if (std::rename(partial_.c_str(), path_.c_str()) != 0) {
    errno_ = errno;
    return false;
  }
  return true;
}

void ResultFile::close() {
  if (!finish())
    throw std::runtime_error(fmt::format("{}: cannot write: {}", partial_, std::strerror(errno_)));
}

}  // namespace qtrader

namespace qtrader {

std::uint64_t ResultFile::flushed_size() {
  if (!f_) return 0;
  if (std::fflush(f_) != 0) fail(errno);
  const long at = std::ftell(f_);
  if (at < 0) fail(errno);
  return static_cast<std::uint64_t>(at);
}

void ResultFile::restore_from(const std::string& from, std::uint64_t size) {
  if (!f_) return;
  std::FILE* in = std::fopen(from.c_str(), "rb");
  if (!in) throw std::runtime_error(fmt::format("{}: cannot read: {}", from, std::strerror(errno)));
  // Back to an empty file: the header the constructor wrote is in `from` too.
  if (std::fflush(f_) != 0 || ::ftruncate(fileno(f_), 0) != 0 || std::fseek(f_, 0, SEEK_SET) != 0) {
    std::fclose(in);
    fail(errno);
  }
  char buffer[1 << 16];
  std::uint64_t left = size;
  while (left > 0) {
    const std::size_t want = left < sizeof buffer ? static_cast<std::size_t>(left) : sizeof buffer;
    const std::size_t got = std::fread(buffer, 1, want, in);
    if (got == 0) break;
    write(std::string_view(buffer, got));
    left -= got;
  }
  std::fclose(in);
  if (left > 0)
    throw std::runtime_error(fmt::format("{}: holds {} bytes, the checkpoint counted {}", from, size - left, size));
}

}  // namespace qtrader
