#include "library/content_hash.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>
#include <xxhash.h>

namespace qtrader {

namespace fs = std::filesystem;

namespace {

bool hidden(const fs::path& relative) {
  for (const auto& part : relative)
    if (!part.empty() && part.string()[0] == '.' && part != "." && part != "..") return true;
  return false;
}

}  // namespace

std::string library_content_hash(const std::string& folder) {
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(folder); it != fs::recursive_directory_iterator(); ++it) {
    const fs::path rel = it->path().lexically_relative(folder);
    if (hidden(rel)) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file()) files.push_back(rel.generic_string());
  }
  std::sort(files.begin(), files.end());
  const std::unique_ptr<XXH64_state_t, decltype(&XXH64_freeState)> state(XXH64_createState(), &XXH64_freeState);
  XXH64_reset(state.get(), 0);
  std::vector<char> buffer(1 << 16);
  for (const auto& rel : files) {
    const fs::path file = fs::path(folder) / rel;
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error(fmt::format("cannot read {}", file.string()));
    const std::uint64_t size = fs::file_size(file);
    unsigned char le[8];
    for (int i = 0; i < 8; ++i) le[i] = static_cast<unsigned char>(size >> (8 * i));
    XXH64_update(state.get(), rel.data(), rel.size() + 1);  // with its NUL
    XXH64_update(state.get(), le, sizeof le);
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      XXH64_update(state.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
  }
  return fmt::format("xxh64:{:016x}", XXH64_digest(state.get()));
}

}  // namespace qtrader
