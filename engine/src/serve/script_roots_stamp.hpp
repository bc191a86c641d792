// When the script list the server holds (GET /api/strategies) is out of date:
// a script edited, added or removed under a script root between two requests.
// Sessions always run the files as they are (each in a fresh process); the
// form must offer the same params they will read.
#pragma once

#include <string>
#include <vector>

namespace qtrader::serve {

// Every regular file under the roots, with its size and modification time, in
// one string: equal stamps mean nothing a description reads has changed.
std::string script_roots_stamp(const std::vector<std::string>& roots);

}  // namespace qtrader::serve
