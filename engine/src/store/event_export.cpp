#include "store/event_export.hpp"

#include <algorithm>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include "qtrader/errors.hpp"
#include "store/contract_events.hpp"
#include "store/contract_schemas.hpp"
#include "store/stored_events.hpp"
#include "store/run_database.hpp"

namespace qtrader::contracts {

namespace {
// A table in the full form, a view over `event_rows` in the compact one.
bool has_events(SQLite::Database& db) {
  return db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name = 'events' AND type IN ('table', 'view')")
             .getInt() > 0;
}
}  // namespace

namespace {

bool contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
void csv_field(std::string& line, std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    line += v;
    return;
  }
  line += '"';
  for (char c : v) {
    if (c == '"') line += '"';
    line += c;
  }
  line += '"';
}

std::string csv_line(const ContractEvent& c) {
  std::string line = fmt::format("{},", c.seq);
  for (const std::string* f : {&c.event_id, &c.occurred_at, &c.type, &c.schema, &c.source_service,
                               &c.correlation_id, &c.causation_id, &c.symbol, &c.strategy_id}) {
    csv_field(line, *f);
    line += ',';
  }
  csv_field(line, c.data);
  line += '\n';
  return line;
}

}  // namespace

const std::vector<std::string>& event_types() {
  static const std::vector<std::string> types = {
      "backtest_start", "bar",  "corporate_action", "signal", "record", "cancel_request",
      "order", "order_rejected", "order_update", "fill", "portfolio_state", "valuation_trigger",
      "risk_evaluation_trigger", "backtest_end", "modify_order"};
  return types;
}

std::uint64_t export_events(const std::string& store, const ExportFilter& filter, ExportFormat format,
                            std::FILE* out) {
  std::uint64_t written = 0;
  try {
    SQLite::Database db = store::open_run_database(store, SQLite::OPEN_READONLY);
    if (!has_events(db)) throw DataError(store, 0, "no events table: not a qtrader event store");
    ContractMapper mapper(run_key(db), store);
    StoredEventReader reader(db);
    if (format == ExportFormat::Csv)
      std::fputs("seq,event_id,occurred_at,type,schema,source_service,correlation_id,causation_id,symbol,"
                 "strategy_id,data\n", out);
    StoredEvent e;
    std::string line;
    while (reader.next(e)) {
      // Bars start no chain: the ones filtered out need no mapping.
      const bool wanted = (filter.types.empty() || contains(filter.types, e.type)) &&
                          (filter.symbols.empty() || contains(filter.symbols, e.symbol)) &&
                          (!filter.from || e.ts >= *filter.from) && (!filter.to || e.ts <= *filter.to);
      if (!wanted && e.is_bar()) continue;
      const ContractEvent c = mapper.map(e);
      if (!wanted) continue;
      if (format == ExportFormat::Jsonl) {
        line = c.json();
        line += '\n';
      } else {
        line = csv_line(c);
      }
      std::fwrite(line.data(), 1, line.size(), out);
      ++written;
    }
  } catch (const SQLite::Exception& ex) {
    throw DataError(store, 0, ex.what());
  }
  return written;
}

StoreValidation validate_events(const std::string& store, const ContractSchemas& schemas,
                                std::size_t max_invalid) {
  StoreValidation out;
  try {
    SQLite::Database db = store::open_run_database(store, SQLite::OPEN_READONLY);
    if (!has_events(db)) throw DataError(store, 0, "no events table: not a qtrader event store");
    ContractMapper mapper(run_key(db), store);
    StoredEventReader reader(db);
    StoredEvent e;
    while (reader.next(e)) {
      const ContractEvent c = mapper.map(e);
      ++out.events;
      auto problems = schemas.problems(c.json());
      if (problems.empty()) continue;
      if (++out.invalid_count <= max_invalid) out.invalid.push_back({c.seq, c.type, std::move(problems)});
    }
  } catch (const SQLite::Exception& ex) {
    throw DataError(store, 0, ex.what());
  }
  return out;
}

}  // namespace qtrader::contracts
