#include "data/gzip_reader.hpp"

#include <cerrno>
#include <climits>
#include <system_error>

#include <zlib.h>

#include "qtrader/errors.hpp"

namespace qtrader::data_detail {

GzipReader::GzipReader(const std::string& path) : path_(path) {
  errno = 0;
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno;
    throw DataError(path_, 0,
                    "cannot open file: " + (err != 0 ? std::generic_category().message(err)
                                                     : std::string("out of memory")));
  }
  gzbuffer(f, 128 * 1024);  // zlib's default 8 KiB costs a read call per 8 KiB
  file_ = f;
}

GzipReader::~GzipReader() {
  if (file_) gzclose_r(static_cast<gzFile>(file_));
}

std::size_t GzipReader::read(char* out, std::size_t size, long line) {
  const unsigned want = size > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<unsigned>(size);
  const int got = gzread(static_cast<gzFile>(file_), out, want);
  if (got < 0) {
    int code = 0;
    const char* message = gzerror(static_cast<gzFile>(file_), &code);
    throw DataError(path_, line, std::string("cannot read gzip file: ") + message);
  }
  if (got == 0) {
    // gzread returns 0 for both a clean end and a file cut inside a member.
    int code = 0;
    const char* message = gzerror(static_cast<gzFile>(file_), &code);
    if (code != Z_OK && code != Z_BUF_ERROR)
      throw DataError(path_, line, std::string("cannot read gzip file: ") + message);
    if (code == Z_BUF_ERROR)
      throw DataError(path_, line, "gzip file is truncated (unexpected end of the compressed data)");
  }
  return static_cast<std::size_t>(got);
}

}  // namespace qtrader::data_detail
