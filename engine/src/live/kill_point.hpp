// Fault injection for the crash tests (tests/live): with
// QTRADER_LIVE_KILL_AT=<point>[:<n>] in its environment, the process kills
// itself (SIGKILL, as `kill -9` would) the n-th time (default: the first) it
// reaches that point, so a test can crash a session inside a window too short
// to hit from outside.
// Unset, a point costs one cached look-up.
#pragma once

#include <string_view>

namespace qtrader::live {

// Points: "bracket-exit" (an entry has filled; this exit is not yet on disk
// nor sent; its sibling, when this is the second, is).
void kill_point(std::string_view point);

}  // namespace qtrader::live
