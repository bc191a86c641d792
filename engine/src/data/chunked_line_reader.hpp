// Physical lines of a file, read in large chunks so that a row costs a memchr
// and a string_view rather than an allocation.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "data/gzip_reader.hpp"

namespace qtrader::data_detail {

class ChunkedLineReader {
 public:
  // 64 KiB: large enough for sequential reads at full speed, small enough that
  // a run over a thousand symbols (one open reader each) stays near 64 MB.
  static constexpr std::size_t kMaxChunk = 64 * 1024;

  // Throws DataError (path, line 0) when the file cannot be opened. A path
  // ending in ".gz" is read through zlib (gzip_reader.hpp).
  explicit ChunkedLineReader(std::string path);

  // The next line without its "\n" or "\r\n"; valid until the next call.
  // False at the end of the file. A last line without a newline still counts.
  bool next(std::string_view& line);

  // 1-based number of the line last returned (0 before the first).
  long line_number() const noexcept { return line_number_; }
  const std::string& path() const noexcept { return path_; }

  // Gives the file handle and buffer back early (e.g. when a stream ends
  // before the file does), so idle streams hold no memory.
  void close() noexcept;

 private:
  bool fill();  // reads more bytes after the unconsumed tail; false at EOF

  struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };

  std::string path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::unique_ptr<GzipReader> gzip_;  // instead of file_ for .gz files
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // first unconsumed byte
  std::size_t end_ = 0;    // one past the last byte read
  bool eof_ = false;
  long line_number_ = 0;
};

}  // namespace qtrader::data_detail
