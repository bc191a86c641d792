#include "live/kill_point.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <utility>

namespace qtrader::live {

void kill_point(std::string_view point) {
  // "<point>" or "<point>:<n>": the n-th time the point is reached (1 when not given).
  static const auto armed = [] {
    const char* at = std::getenv("QTRADER_LIVE_KILL_AT");
    std::string name = at ? at : "";
    long nth = 1;
    if (const auto colon = name.find(':'); colon != std::string::npos) {
      nth = std::strtol(name.c_str() + colon + 1, nullptr, 10);
      name.resize(colon);
    }
    return std::pair<std::string, long>(name, nth);
  }();
  static long reached = 0;
  if (!armed.first.empty() && point == armed.first && ++reached == armed.second) ::kill(::getpid(), SIGKILL);
}

}  // namespace qtrader::live
