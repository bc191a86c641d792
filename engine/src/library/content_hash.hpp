// The content hash of a library folder, recorded with each run and in qtrader.lock.
#pragma once

#include <string>

namespace qtrader {

// "xxh64:" + 16 hex digits: XXH64 over every regular file under `folder` in
// sorted relative-path order, each as its path ('/' separated), a NUL, its
// size (8 bytes, little-endian) and its bytes. Hidden files and folders
// (".git", ".qtrader-install.json") are not part of a library's content, so a
// clone, a copy and an installed library hash alike. Throws std::runtime_error
// when a file cannot be read.
std::string library_content_hash(const std::string& folder);

}  // namespace qtrader
