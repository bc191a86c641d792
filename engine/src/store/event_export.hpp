// `qtrader events`: a run's events.sqlite streamed as contract instances
// (contract_events.hpp) in seq order, bars included, filtered by type, symbol
// and time, as JSON lines or CSV.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "qtrader/types.hpp"

namespace qtrader::contracts {

enum class ExportFormat { Jsonl, Csv };

struct ExportFilter {
  std::vector<std::string> types;    // empty: every type
  std::vector<std::string> symbols;  // empty: every event; else only events of these symbols
  std::optional<Timestamp> from, to;  // inclusive
};

// The event types a store can hold, in the order of the contracts' README.
const std::vector<std::string>& event_types();

// Writes the events of `store` (an events.sqlite) that pass `filter` to `out`;
// returns how many. Throws DataError naming the file for an unreadable store.
std::uint64_t export_events(const std::string& store, const ExportFilter& filter, ExportFormat format,
                            std::FILE* out);

class ContractSchemas;

struct InvalidEvent {
  std::uint64_t seq = 0;
  std::string type;
  std::vector<std::string> problems;  // "where: reason"
};
struct StoreValidation {
  std::uint64_t events = 0;            // how many were checked
  std::vector<InvalidEvent> invalid;   // the first `max_invalid`
  std::uint64_t invalid_count = 0;     // all of them
};

// Every event of `store` checked against `schemas` (docs/contracts.md
// "Validating"). Throws DataError naming the file for an unreadable store.
StoreValidation validate_events(const std::string& store, const ContractSchemas& schemas,
                                std::size_t max_invalid = 10);

}  // namespace qtrader::contracts
