#include "qtrader/process_identity.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace qtrader {

namespace {

// Field 22 of /proc/PID/stat. The second field, the command name, is in
// parentheses and may hold spaces: fields are counted after its last ')'.
std::string start_time_of(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!in || !std::getline(in, stat)) return {};
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(stat.substr(close + 1));
  std::string field;
  for (int i = 3; i <= 22; ++i)
    if (!(rest >> field)) return {};
  return field;
}

}  // namespace

ProcessIdentity this_process() {
  const long pid = static_cast<long>(::getpid());
  return {pid, start_time_of(pid)};
}

ProcessIdentity parent_process() {
  const long pid = static_cast<long>(::getppid());
  return {pid, start_time_of(pid)};
}

bool process_alive(const ProcessIdentity& who) {
  if (who.pid <= 0) return false;
  if (::kill(static_cast<pid_t>(who.pid), 0) != 0 && errno != EPERM) return false;
  return who.start.empty() || start_time_of(who.pid) == who.start;
}

}  // namespace qtrader
