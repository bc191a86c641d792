// What every harness of fuzz/ shares: the parsers under test read files, so
// each input is written to a file in a folder of the process's own (on
// TMPDIR, /tmp by default), and byte selectors pick among fixed choices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "temp_dir.hpp"

namespace qtrader::fuzz {

// A folder for this process's input files, removed at exit. Per process, so
// `-jobs`/`-fork` workers never share a file (tests/support/temp_dir.hpp).
inline std::string work_dir() { return qtrader::test::process_temp_dir().str(); }

// Writes `bytes` to work_dir()/name (replacing it) and returns the path.
inline std::string write_input(const std::string& name, std::string_view bytes) {
  const std::string path = work_dir() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(),
                                                                static_cast<std::streamsize>(bytes.size()));
  return path;
}

// Reads selector bytes off the front of an input; 0 once it is used up.
class Selector {
 public:
  Selector(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  // One of `n` choices.
  template <std::size_t N, class T>
  const T& pick(const T (&choices)[N]) { return choices[byte() % N]; }
  std::string_view rest() const {
    return {reinterpret_cast<const char*>(data_) + pos_, size_ - pos_};
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace qtrader::fuzz
