// A .gz data file's uncompressed bytes, read through zlib's gzread: the
// ChunkedLineReader's other byte source (docs/data.md "Reading files").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace qtrader::data_detail {

class GzipReader {
 public:
  // Throws DataError (path, line 0) when the file cannot be opened.
  explicit GzipReader(const std::string& path);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  // Up to `size` uncompressed bytes into `out`; 0 at the end. Throws DataError
  // at `line` (the line being read) when the stream is corrupt or truncated.
  std::size_t read(char* out, std::size_t size, long line);

 private:
  std::string path_;
  void* file_ = nullptr;  // gzFile, kept out of this header
};

// True when `path` names a gzip file by its ".gz" suffix.
inline bool is_gzip_path(std::string_view path) noexcept {
  return path.size() > 3 && path.substr(path.size() - 3) == ".gz";
}

}  // namespace qtrader::data_detail
