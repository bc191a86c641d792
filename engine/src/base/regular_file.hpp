// Input files must be regular files. A FIFO blocks the open until a writer
// comes, /dev/zero or /dev/urandom never end (a reader grows until bad_alloc):
// refused by name before they are opened.
#pragma once

#include <string>

namespace qtrader {

// Empty when `path` (symbolic links followed) is a regular file, else what it
// is instead: "does not exist", "is a folder", "is a FIFO, not a regular file"…
std::string not_a_regular_file(const std::string& path);

}  // namespace qtrader
