// A process as the `runs` table remembers it: its pid and the kernel's start
// time of that pid, so that `qtrader runs` can tell a run whose process died
// (SIGKILL, power loss) from one still going, even after the pid is reused.
#pragma once

#include <string>

namespace qtrader {

struct ProcessIdentity {
  long pid = 0;
  std::string start;  // /proc/PID/stat field 22 (clock ticks since boot); empty when unknown
};

ProcessIdentity this_process();
// The parent of this process, e.g. the supervisor of a supervised run.
ProcessIdentity parent_process();

// True when `who` is a live process on this machine: the pid exists and, when
// `who.start` is known, started at that time. False for pid 0.
bool process_alive(const ProcessIdentity& who);

}  // namespace qtrader
