// A signal file (docs/signals.md): CSV or gzip CSV with a header row naming
// timestamp, symbol, name, value and optionally available_at.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "qtrader/config.hpp"
#include "qtrader/types.hpp"

namespace qtrader::signals_detail {

struct SignalRow {
  Timestamp ts = 0;
  Timestamp available = 0;  // when the engine may deliver it (never before ts)
  std::string symbol;
  std::string name;
  double value = 0.0;
};

struct SignalFile {
  std::vector<SignalRow> rows;  // file order
  std::uint64_t hash = 0;       // XXH64 of the file's bytes, as the bar cache keys files
};

// Reads `spec.file`. Throws DataError naming the file, the line and the
// column for every malformed cell, an unknown or missing header column, and
// a row without availability (no available_at cell and no latency).
SignalFile read_signal_file(const SignalSourceSpec& spec);

}  // namespace qtrader::signals_detail
