#include "store/contract_events.hpp"

#include <cmath>
#include <initializer_list>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xxhash.h>

#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"

namespace qtrader::contracts {

namespace {

using Json = nlohmann::ordered_json;

struct Kind {
  const char* type;
  const char* service;
};
// The producing service of each stored type; an order or a rejection made by
// execution (a bracket's exit, an end-of-data close, a refusal at
// acceptance) is told apart below.
constexpr Kind kKinds[] = {
    {"backtest_start", "engine"},       {"bar", "data"},
    {"corporate_action", "data"},       {"signal", "strategy"},
    {"record", "strategy"},             {"cancel_request", "strategy"},
    {"order", "risk"},                  {"order_rejected", "risk"},
    {"order_update", "execution"},      {"fill", "execution"},
    {"portfolio_state", "portfolio"},   {"valuation_trigger", "engine"},
    {"risk_evaluation_trigger", "engine"}, {"backtest_end", "engine"},
    {"modify_order", "strategy"},
};

std::uint64_t id_field(const Json& data, const char* key) {
  const auto it = data.find(key);
  return it != data.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

std::string timestamp_field(const std::string& text) {
  const auto ts = parse_timestamp(text);
  return ts ? iso_utc(*ts) : text;  // left as it is: the schema's pattern refuses it
}

void json_string(std::string& out, std::string_view v) { out += Json(std::string(v)).dump(); }

}  // namespace

std::string iso_utc(Timestamp ts) {
  Timestamp in_second = ts % kNanosPerSecond;
  if (in_second < 0) in_second += kNanosPerSecond;
  const Timestamp whole = ts - in_second;
  std::string day = format_date(whole);
  Timestamp in_day = whole % kNanosPerDay;
  if (in_day < 0) in_day += kNanosPerDay;
  const long long secs = in_day / kNanosPerSecond;
  std::string out = fmt::format("{}T{:02}:{:02}:{:02}", day, secs / 3600, (secs / 60) % 60, secs % 60);
  if (in_second) out += fmt::format(".{:09}", in_second);
  out += 'Z';
  return out;
}

std::string event_uuid(std::string_view key, std::uint64_t seq) {
  std::string input(key);
  for (int i = 0; i < 8; ++i) input.push_back(static_cast<char>((seq >> (8 * i)) & 0xff));
  const XXH128_hash_t h = XXH3_128bits(input.data(), input.size());
  unsigned char b[16];
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<unsigned char>(h.high64 >> (56 - 8 * i));
    b[8 + i] = static_cast<unsigned char>(h.low64 >> (56 - 8 * i));
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x80);  // version 8: custom (a hash)
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // variant RFC 9562
  return fmt::format("{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
                     b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
                     b[14], b[15]);
}

std::string run_key(SQLite::Database& db) {
  if (!db.tableExists("runs")) return "";
  SQLite::Statement q(db, "SELECT config_hash, scripts, params FROM runs LIMIT 1");
  if (!q.executeStep()) return "";
  // The scripts by name and content, not by path: the same inputs in another
  // checkout or folder make the same run.
  std::string inputs = q.getColumn(0).getString() + '\n';
  const Json scripts = Json::parse(q.getColumn(1).getString(), nullptr, false);
  if (scripts.is_array())
    for (const auto& s : scripts)
      if (s.is_object()) inputs += s.value("name", "") + ' ' + s.value("kind", "") + ' ' + s.value("hash", "") + '\n';
  inputs += q.getColumn(2).getString();
  const XXH128_hash_t h = XXH3_128bits(inputs.data(), inputs.size());
  return fmt::format("{:016x}{:016x}", h.high64, h.low64);
}

std::string ContractEvent::json() const {
  std::string out = "{\"event_id\":";
  json_string(out, event_id);
  out += fmt::format(",\"seq\":{},\"occurred_at\":", seq);
  json_string(out, occurred_at);
  out += ",\"type\":";
  json_string(out, type);
  out += ",\"schema\":";
  json_string(out, schema);
  out += ",\"source_service\":";
  json_string(out, source_service);
  out += ",\"correlation_id\":";
  if (correlation_id.empty()) out += "null"; else json_string(out, correlation_id);
  out += ",\"causation_id\":";
  if (causation_id.empty()) out += "null"; else json_string(out, causation_id);
  out += ",\"data\":";
  out += data;
  out += '}';
  return out;
}

ContractEvent ContractMapper::map(const StoredEvent& e) {
  ContractEvent c;
  c.seq = e.seq;
  c.event_id = event_uuid(key_, e.seq);
  c.occurred_at = iso_utc(e.ts);
  c.type = e.type;
  c.schema = e.type + ".v1";
  c.symbol = e.symbol;
  c.strategy_id = e.strategy_id;
  for (const auto& k : kKinds)
    if (e.type == k.type) c.source_service = k.service;
  if (c.source_service.empty())
    throw DataError(file_, static_cast<long>(e.seq), fmt::format("event {}: unknown type \"{}\"", e.seq, e.type));

  Json data = Json::object();
  if (!e.strategy_id.empty()) data["strategy_id"] = e.strategy_id;
  if (!e.symbol.empty()) data["symbol"] = e.symbol;
  if (e.is_bar()) {
    data["open"] = e.bar.open;
    data["high"] = e.bar.high;
    data["low"] = e.bar.low;
    data["close"] = e.bar.close;
    data["volume"] = e.bar.volume;
    if (!std::isnan(e.bar.adj_close)) data["adj_close"] = e.bar.adj_close;
    c.data = data.dump();
    return c;
  }
  Json stored = Json::parse(e.data, nullptr, false);
  if (stored.is_discarded() || !stored.is_object())
    throw DataError(file_, static_cast<long>(e.seq), fmt::format("event {} ({}): data is not a JSON object", e.seq, e.type));
  for (auto& [key, value] : stored.items()) {
    if (key == "start" || key == "end" || key == "expiry" || key == "ex_date")
      data[key] = timestamp_field(value.is_string() ? value.get<std::string>() : value.dump());
    else if (key == "end_of_data")
      data[key] = value == 1;
    else
      data[key] = value;
  }
  // A store written before fills carried their signal_id, or before records
  // kept NaN: the contract's required fields are filled in from what it knows.
  if (e.type == "fill" && !stored.contains("signal_id")) {
    const auto it = order_signal_.find(id_field(stored, "order_id"));
    data["signal_id"] = it == order_signal_.end() ? 0 : it->second;
    stored["signal_id"] = data["signal_id"];
  }
  if (e.type == "record" && !stored.contains("value")) data["value"] = "nan";
  c.data = data.dump();

  const std::uint64_t signal_id = id_field(stored, "signal_id");
  const std::uint64_t order_id = id_field(stored, "order_id");
  const auto seq_of = [](const auto& map, std::uint64_t id) -> std::uint64_t {
    const auto it = map.find(id);
    return it == map.end() ? 0 : it->second;
  };
  const auto chain_of_order = [&](std::uint64_t order) {
    const std::uint64_t s = seq_of(order_chain_, order);
    return s ? s : seq_of(signal_seq_, signal_id);
  };
  std::uint64_t correlation = 0, causation = 0;
  if (e.type == "signal") {
    signal_seq_[signal_id] = e.seq;
    correlation = e.seq;  // a signal starts its own chain
  } else if (e.type == "order") {
    const std::uint64_t parent = id_field(stored, "parent_id");
    if (signal_id) correlation = seq_of(signal_seq_, signal_id);
    if (parent) {
      causation = seq_of(last_fill_, parent);
      if (!correlation) correlation = seq_of(order_chain_, parent);
    } else {
      causation = signal_id ? seq_of(signal_seq_, signal_id) : 0;
    }
    if (!correlation) correlation = e.seq;  // execution's own close starts its chain
    if (parent || !signal_id) c.source_service = "execution";
    order_seq_[order_id] = e.seq;
    order_chain_[order_id] = correlation;
    order_signal_[order_id] = signal_id;
    if (parent) parent_[order_id] = parent;
  } else if (e.type == "order_rejected") {
    correlation = chain_of_order(order_id);
    // A refusal without a symbol answers a cancel request (which names no symbol).
    if (e.symbol.empty() && order_id)
      causation = seq_of(cancel_request_, order_id);
    else
      causation = order_id ? seq_of(order_seq_, order_id) : seq_of(signal_seq_, signal_id);
    if (order_id) c.source_service = "execution";
  } else if (e.type == "order_update") {
    correlation = chain_of_order(order_id);
    const std::string status = stored.value("status", "");
    std::uint64_t by = 0;
    if (status == "cancelled") by = seq_of(cancel_request_, order_id);
    if (status == "cancelled" && !by && parent_.count(order_id)) {
      // One-cancels-other: the bracket's other exit filled.
      const auto fill = chain_fill_.find(correlation);
      if (fill != chain_fill_.end() && fill->second.order_id != order_id &&
          seq_of(parent_, fill->second.order_id) == parent_.at(order_id))
        by = fill->second.seq;
    }
    if (status == "filled" || status == "partially_filled") by = seq_of(last_fill_, order_id);
    if (stored.value("reason", "") == "replaced") by = seq_of(cancel_request_, order_id);
    causation = by ? by : seq_of(order_seq_, order_id);
  } else if (e.type == "fill") {
    correlation = chain_of_order(order_id);
    causation = seq_of(order_seq_, order_id);
    last_fill_[order_id] = e.seq;
    chain_fill_[correlation] = {e.seq, order_id};
  } else if (e.type == "cancel_request" || e.type == "modify_order") {
    correlation = seq_of(order_chain_, order_id);
    cancel_request_[order_id] = e.seq;
  }
  c.correlation_id = id_of(correlation);
  c.causation_id = id_of(causation);
  return c;
}

}  // namespace qtrader::contracts
