// Chooses and creates a run's results folder: BASE[/YYYY/MM/DD][/YYYYMMDD_HHMMSS],
// by the output flags, from the local wall-clock time of the run's start, and
// holds it for the run: a run never shares its folder with another.
#pragma once

#include <string>

#include "base/folder_lock.hpp"
#include "qtrader/config.hpp"

namespace qtrader {

struct RunFolder {
  std::string path;  // absolute, normalized
  FolderLock lock;   // held until the run is done with the folder
};

// What to do with a fixed folder (no timestamp in its name) that holds files.
enum class FixedFolder {
  ReplaceRun,  // a run's: remove what an earlier run wrote there; refuse anything else
  Keep,        // a sweep's: keep it (resume), only lock it
};

// A timestamped folder is made with mkdir(2), which fails when the name exists,
// so two runs started in the same second get `_2`, `_3`… and never one folder.
RunFolder make_results_dir(const std::string& base, const OutputConfig& output,
                           FixedFolder fixed = FixedFolder::ReplaceRun);

// `dir` as the folder of one run (RunOptions::results_dir, use_timestamps: false):
// created when missing, locked (a second run into it is refused), and emptied
// of the files an earlier run wrote there (csv, json, .partial, report.html,
// run.log, events.sqlite*). A folder holding other files and no earlier run is refused
// before anything is touched.
RunFolder claim_run_folder(const std::string& dir);

}  // namespace qtrader
