#include "data/chunked_line_reader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "base/regular_file.hpp"
#include "qtrader/errors.hpp"

namespace qtrader::data_detail {

namespace {

// Small files get a buffer of their own size: a run over many symbols keeps
// one reader per symbol open at once.
std::size_t initial_chunk_size(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return ChunkedLineReader::kMaxChunk;
  return std::clamp<std::size_t>(static_cast<std::size_t>(size) + 1, 4096,
                                 ChunkedLineReader::kMaxChunk);
}

}  // namespace

ChunkedLineReader::ChunkedLineReader(std::string path) : path_(std::move(path)) {
  if (const std::string problem = not_a_regular_file(path_); !problem.empty() && problem != "does not exist")
    throw DataError(path_, 0, "cannot read: the path " + problem);
  if (is_gzip_path(path_)) {
    gzip_ = std::make_unique<GzipReader>(path_);
    buffer_.resize(kMaxChunk);  // the compressed size says little about the text's
    return;
  }
  file_.reset(std::fopen(path_.c_str(), "rb"));
  if (!file_) {
    const int err = errno;
    throw DataError(path_, 0,
                    "cannot open file: " + std::generic_category().message(err));
  }
  // Our buffer is the only one: stdio's own would copy every byte twice.
  std::setvbuf(file_.get(), nullptr, _IONBF, 0);
  buffer_.resize(initial_chunk_size(path_));
}

void ChunkedLineReader::close() noexcept {
  file_.reset();
  gzip_.reset();
  std::vector<char>().swap(buffer_);
  begin_ = end_ = 0;
  eof_ = true;
}

bool ChunkedLineReader::fill() {
  if (eof_) return false;
  // Keep the partial line at the front; grow only for a line longer than the buffer.
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  if (gzip_) {
    const std::size_t got = gzip_->read(buffer_.data() + end_, buffer_.size() - end_, line_number_ + 1);
    if (got == 0) eof_ = true;
    end_ += got;
    return got != 0;
  }
  const std::size_t got = std::fread(buffer_.data() + end_, 1, buffer_.size() - end_, file_.get());
  if (got == 0) {
    if (std::ferror(file_.get())) {
      const int err = errno;
      throw DataError(path_, line_number_ + 1,
                      "cannot read file: " + std::generic_category().message(err));
    }
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

bool ChunkedLineReader::next(std::string_view& line) {
  std::size_t searched = begin_;  // bytes before this hold no newline
  for (;;) {
    const char* base = buffer_.data();
    const void* nl = searched < end_ ? std::memchr(base + searched, '\n', end_ - searched) : nullptr;
    if (nl) {
      std::size_t stop = static_cast<const char*>(nl) - base;
      const std::size_t next_begin = stop + 1;
      if (stop > begin_ && base[stop - 1] == '\r') --stop;
      line = std::string_view(base + begin_, stop - begin_);
      begin_ = next_begin;
      ++line_number_;
      return true;
    }
    const std::size_t scanned = end_ - begin_;
    if (!fill()) {
      if (begin_ == end_) return false;
      base = buffer_.data();
      std::size_t stop = end_;
      if (base[stop - 1] == '\r') --stop;
      line = std::string_view(base + begin_, stop - begin_);
      begin_ = end_;
      ++line_number_;
      return true;
    }
    searched = begin_ + scanned;  // fill() moved the tail to the front
  }
}

}  // namespace qtrader::data_detail
