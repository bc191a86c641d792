// A run's stored events as contract instances (contracts/, docs/contracts.md):
// each event wrapped in the v1 envelope, its fields checked into the shape its
// schema describes. The store keeps integer ids (signal_id, order_id,
// parent_id) on the events; the envelope's string ids are made here, at
// export, so the engine's hot path formats nothing for them:
//  - event_id: a UUID (version 8, RFC 9562) of XXH3-128 over the run key and
//    the seq, so a rerun of the same inputs gets the same ids;
//  - correlation_id: the event that started the chain (the signal; for
//    execution's own end-of-data close, its order);
//  - causation_id: the event that directly caused this one (signal -> order,
//    order -> accepted/expired update and fill, fill -> filled update, a
//    bracket's exit orders and the exit it cancels (one-cancels-other),
//    cancel request -> cancelled update).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "qtrader/types.hpp"
#include "store/stored_events.hpp"

namespace SQLite {
class Database;
}

namespace qtrader::contracts {

struct ContractEvent {
  std::uint64_t seq = 0;
  std::string event_id;
  std::string occurred_at;
  std::string type;
  std::string schema;          // "fill.v1"
  std::string source_service;  // engine, data, strategy, risk, execution, portfolio
  std::string correlation_id;  // "" for null
  std::string causation_id;    // "" for null
  std::string symbol;          // "" when the event has none
  std::string strategy_id;     // "" when the event has none
  std::string data;            // the payload, one JSON object

  // The instance as one line of JSON (keys in the envelope's order).
  std::string json() const;
};

// What makes a run's event ids: a hash of the inputs recorded in its `runs`
// row (config_hash, each script's name, kind and content hash, params), so
// reruns of the same inputs agree, wherever their files are.
std::string run_key(SQLite::Database& db);

// The event id of `seq` in the run of `key`.
std::string event_uuid(std::string_view key, std::uint64_t seq);

// "YYYY-MM-DDTHH:MM:SSZ", with nanoseconds (".123456789") only when not zero.
std::string iso_utc(Timestamp ts);

class ContractMapper {
 public:
  // `file` names the store in errors.
  ContractMapper(std::string run_key, std::string file) : key_(std::move(run_key)), file_(std::move(file)) {}
  // Every event of the run must pass through here in seq order (the chains
  // are remembered), filtered or not. Throws DataError for a row whose JSON
  // does not parse or lacks a field its contract requires.
  ContractEvent map(const StoredEvent& e);

 private:
  std::string id_of(std::uint64_t seq) const { return seq ? event_uuid(key_, seq) : std::string(); }

  std::string key_, file_;
  std::unordered_map<std::uint64_t, std::uint64_t> signal_seq_;       // signal_id -> seq
  std::unordered_map<std::uint64_t, std::uint64_t> order_seq_;        // order_id -> seq of its order
  std::unordered_map<std::uint64_t, std::uint64_t> order_chain_;      // order_id -> correlation seq
  std::unordered_map<std::uint64_t, std::uint64_t> order_signal_;     // order_id -> its signal_id
  std::unordered_map<std::uint64_t, std::uint64_t> last_fill_;        // order_id -> seq of its last fill
  std::unordered_map<std::uint64_t, std::uint64_t> cancel_request_;   // order_id -> seq of its last cancel or modify request
  std::unordered_map<std::uint64_t, std::uint64_t> parent_;           // bracket exit's order_id -> entry's
  struct ChainFill {
    std::uint64_t seq, order_id;
  };
  std::unordered_map<std::uint64_t, ChainFill> chain_fill_;          // correlation seq -> its last fill
};

}  // namespace qtrader::contracts
