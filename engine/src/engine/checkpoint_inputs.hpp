// What a checkpoint records of the run's inputs (docs/checkpoints.md): how to
// start the same run again (the backtest, system file, --param overrides,
// --data folder, dates and flags) and a hash of everything it read (the
// three configuration files, each script, each symbol's data file), so that
// `qtrader resume` refuses a run whose inputs changed since.
#pragma once

#include <string>
#include <vector>

#include "engine/prepared_run.hpp"
#include "qtrader/engine.hpp"

namespace qtrader {

struct CheckpointInputs {
  std::string backtest;  // absolute
  std::string system;    // absolute
  std::string data_dir;  // --data, "" when none
  std::vector<ParamOverride> params;
  Timestamp start_date = 0, end_date = 0;  // RunOptions', 0 when not given
  bool report = true, validate_events = false, allow_unlocked = false;
  // name -> hash: "config", "script:NAME", "data:SYMBOL".
  std::vector<std::pair<std::string, std::string>> hashes;
};

CheckpointInputs checkpoint_inputs(const PreparedRun& run, const RunOptions& options,
                                   const std::string& data_dir);
std::string to_json(const CheckpointInputs& inputs);
CheckpointInputs inputs_from_json(const std::string& json);

// Throws std::runtime_error naming each input whose hash differs.
void check_inputs_unchanged(const CheckpointInputs& recorded, const CheckpointInputs& now);

}  // namespace qtrader
