#include "base/result_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

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
