// One results file (fills.csv, equity.csv, …), written as NAME.partial and
// renamed to NAME when closed. A process killed mid-run (SIGKILL, power loss)
// leaves only .partial files, so no reader takes a file cut inside a row for a
// whole one; a run that ends any other way (completed, failed, interrupted)
// has every file under its name, ending on a whole row. Every write error
// (ENOSPC above all) is an exception naming the file.
#pragma once

#include <cstdint>

#include <cstdio>
#include <string>
#include <string_view>

#include <fmt/compile.h>
#include <fmt/format.h>

namespace qtrader {

class ResultFile {
 public:
  explicit ResultFile(std::string path);  // throws std::runtime_error naming the file
  // Closes as close() does, but never throws: an exception is already on its
  // way, or the writer was not closed; after a write error the .partial stays.
  ~ResultFile();
  ResultFile(const ResultFile&) = delete;
  ResultFile& operator=(const ResultFile&) = delete;

  void write(std::string_view s);
  // One CSV row, formatted into a buffer the file reuses: no allocation per
  // row; the format is compiled (fills are written as they happen).
  template <class Format, class... Args>
  void row(const Format& format, const Args&... args) {
    buffer_.clear();
    fmt::format_to(std::back_inserter(buffer_), format, args...);
    write(std::string_view(buffer_.data(), buffer_.size()));
  }
  // Flushes, closes and renames NAME.partial to NAME; throws std::runtime_error
  // naming the file ("No space left on device") when any write failed.
  void close();
  bool is_open() const noexcept { return f_ != nullptr; }
  const std::string& path() const noexcept { return path_; }

  // Checkpoints (docs/checkpoints.md): the bytes written so far, flushed to
  // the file, so a killed run's NAME.partial holds at least that many.
  std::uint64_t flushed_size();
  // A resumed run: the file becomes the first `size` bytes of `from` (the
  // killed run's copy of it); what is written next follows them.
  void restore_from(const std::string& from, std::uint64_t size);

 private:
  [[noreturn]] void fail(int err);
  bool finish() noexcept;  // false on an error, errno_ set

  std::string path_, partial_;
  std::FILE* f_ = nullptr;
  int errno_ = 0;
  fmt::memory_buffer buffer_;
};

}  // namespace qtrader
