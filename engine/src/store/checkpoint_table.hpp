// The `checkpoints` table of events.sqlite (docs/checkpoints.md): the latest
// checkpoint of a run that has `checkpoint_every`, one row, replaced as the
// run writes the next.
//
//   checkpoints(seq INTEGER PRIMARY KEY,  -- the last event of the timestamp
//               ts INTEGER,               -- that timestamp, ns since the epoch, UTC
//               state TEXT)               -- every service's snapshot, JSON
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "qtrader/types.hpp"

namespace qtrader {

struct StoredCheckpoint {
  std::uint64_t seq = 0;
  Timestamp ts = 0;
  std::string state;
};

// The checkpoint in `events_sqlite`, if the run wrote one.
std::optional<StoredCheckpoint> read_checkpoint(const std::string& events_sqlite);

}  // namespace qtrader
