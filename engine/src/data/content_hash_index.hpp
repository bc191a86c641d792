// The content hash of a data file without reading it on every run: git's
// index trick. Beside the cache files, one small entry per source path records
// the file's size, modification and change times, inode and the XXH64 of its
// bytes. While the stat data match, the recorded hash is trusted; any change
// to them (a write, a touch, a copy over it) makes the next run read and hash
// the file again. A file changed within two seconds of being hashed is not
// recorded (it is "racily clean", as git says: a second write in the same
// timestamp tick would not show in its stat data), so it is hashed again next time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace qtrader::data_detail {

struct FileStat {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;
  std::uint64_t inode = 0;
  bool operator==(const FileStat&) const = default;
};

// nullopt when `path` cannot be stat'ed or is not a regular file.
std::optional<FileStat> stat_file(const std::string& path);

// The XXH64 of the bytes of `path` (absolute) whose stat data are `st`: from
// its entry under `dir`/paths when that matches, else by reading the file,
// then recorded there (best effort: a cache folder that cannot be written
// costs a re-hash, nothing else). nullopt when the file cannot be read.
std::optional<std::uint64_t> content_hash(const std::string& dir, const std::string& path,
                                          const FileStat& st);

// 16 lowercase hex digits.
std::string hex64(std::uint64_t v);

}  // namespace qtrader::data_detail
