#include "store/event_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "qtrader/time.hpp"

namespace qtrader {

namespace {
constexpr std::uint32_t kBatchSize = 8192;
using json = nlohmann::json;
}  // namespace

EventStore::EventStore(const std::string& path, EventBus& bus, const SymbolTable& symbols,
                       const std::vector<std::string>& strategy_ids)
    : symbols_(symbols), strategy_ids_(strategy_ids) {
  db_ = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  // WAL keeps the file readable if the process is killed mid-batch.
  db_->exec("PRAGMA journal_mode=WAL");
  db_->exec("PRAGMA synchronous=NORMAL");
  db_->exec(
      "CREATE TABLE IF NOT EXISTS events ("
      " seq INTEGER PRIMARY KEY,"
      " ts INTEGER NOT NULL,"        // nanoseconds since the Unix epoch, UTC
      " time TEXT NOT NULL,"         // the same, readable
      " type TEXT NOT NULL,"
      " strategy_id TEXT,"
      " symbol TEXT,"
      " data TEXT NOT NULL)");      // the event's fields as JSON
  insert_ = std::make_unique<SQLite::Statement>(
      *db_, "INSERT INTO events(seq, ts, time, type, strategy_id, symbol, data) VALUES (?,?,?,?,?,?,?)");

  bus.subscribe<BacktestStartEvent>([this](const BacktestStartEvent& e) {
    append(e.kType, e.ts, kNoStrategy, kNoSymbol,
           json{{"start", format_timestamp(e.ts)}, {"end", format_timestamp(e.end)},
                {"initial_equity", e.initial_equity}}
               .dump());
  });
  bus.subscribe<BarEvent>([this](const BarEvent& e) {
    const Bar& b = e.bar;
    json j{{"open", b.open}, {"high", b.high}, {"low", b.low}, {"close", b.close}, {"volume", b.volume}};
    if (b.adj_close == b.adj_close) j["adj_close"] = b.adj_close;
    append(e.kType, b.ts, kNoStrategy, b.symbol, j.dump());
  });
  bus.subscribe<SignalEvent>([this](const SignalEvent& e) {
    json j{{"signal_id", e.signal_id}, {"intention", to_string(e.intention)}};
    const std::pair<const char*, double> optional[] = {
        {"price", e.price}, {"confidence", e.confidence}, {"stop_loss", e.stop_loss}, {"take_profit", e.take_profit}};
    for (const auto& [k, v] : optional)
      if (v == v) j[k] = v;
    if (!e.tag.empty()) j["tag"] = e.tag;
    append(e.kType, e.ts, e.strategy, e.symbol, j.dump());
  });
  bus.subscribe<OrderEvent>([this](const OrderEvent& e) {
    append(e.kType, e.ts, e.strategy, e.symbol,
           json{{"order_id", e.order_id}, {"signal_id", e.signal_id}, {"side", to_string(e.side)},
                {"order_type", to_string(e.spec.type)}, {"tif", to_string(e.spec.tif)},
                {"quantity", e.quantity}}
               .dump());
  });
  bus.subscribe<OrderRejectedEvent>([this](const OrderRejectedEvent& e) {
    append(e.kType, e.ts, e.strategy, e.symbol,
           json{{"order_id", e.order_id}, {"signal_id", e.signal_id}, {"reason", e.reason}}.dump());
  });
  bus.subscribe<OrderUpdateEvent>([this](const OrderUpdateEvent& e) {
    json j{{"order_id", e.order_id}, {"signal_id", e.signal_id}, {"status", to_string(e.status)},
           {"filled_quantity", e.filled_quantity}, {"remaining_quantity", e.remaining_quantity}};
    if (!e.reason.empty()) j["reason"] = e.reason;
    append(e.kType, e.ts, e.strategy, e.symbol, j.dump());
  });
  bus.subscribe<CancelRequestEvent>([this](const CancelRequestEvent& e) {
    append(e.kType, e.ts, e.strategy, kNoSymbol, json{{"order_id", e.order_id}}.dump());
  });
  bus.subscribe<RecordEvent>([this](const RecordEvent& e) {
    append(e.kType, e.ts, e.strategy, e.symbol,
           json{{"name", std::string(e.name)}, {"value", e.value}}.dump());
  });
  bus.subscribe<FillEvent>([this](const FillEvent& e) {
    append(e.kType, e.ts, e.strategy, e.symbol,
           json{{"order_id", e.order_id}, {"side", to_string(e.side)}, {"quantity", e.quantity},
                {"price", e.price}, {"commission", e.commission}}
               .dump());
  });
  bus.subscribe<PortfolioStateEvent>([this](const PortfolioStateEvent& e) {
    json positions = json::array();
    for (const auto& p : e.positions)
      positions.push_back({{"symbol", symbols_.name(p.symbol)}, {"quantity", p.quantity},
                           {"avg_price", p.avg_price}, {"last_price", p.last_price}});
    append(e.kType, e.ts, kNoStrategy, kNoSymbol,
           json{{"cash", e.cash}, {"equity", e.equity}, {"gross_exposure", e.gross_exposure},
                {"net_exposure", e.net_exposure}, {"realized_pnl", e.realized_pnl},
                {"unrealized_pnl", e.unrealized_pnl}, {"positions", positions}}
               .dump());
  });
  bus.subscribe<ValuationTriggerEvent>([this](const ValuationTriggerEvent& e) {
    append(e.kType, e.ts, kNoStrategy, kNoSymbol, "{}");
  });
  bus.subscribe<RiskEvaluationTriggerEvent>([this](const RiskEvaluationTriggerEvent& e) {
    append(e.kType, e.ts, kNoStrategy, kNoSymbol, "{}");
  });
  bus.subscribe<BacktestEndEvent>([this](const BacktestEndEvent& e) {
    append(e.kType, e.ts, kNoStrategy, kNoSymbol, json{{"bars_processed", e.bars_processed}}.dump());
    flush();
  });
}

EventStore::~EventStore() {
  try {
    flush();
  } catch (...) {
    // A destructor must not throw; the batch is lost only if SQLite itself failed.
  }
}

void EventStore::begin_if_needed() {
  if (!in_transaction_) {
    db_->exec("BEGIN");
    in_transaction_ = true;
  }
}

void EventStore::flush() {
  if (in_transaction_) {
    db_->exec("COMMIT");
    in_transaction_ = false;
    batch_ = 0;
  }
}

void EventStore::append(EventType type, Timestamp ts, StrategyIndex strategy, SymbolId symbol,
                        const std::string& data) {
  begin_if_needed();
  ++seq_;
  ++counts_[static_cast<int>(type)];
  insert_->bind(1, static_cast<int64_t>(seq_));
  insert_->bind(2, static_cast<int64_t>(ts));
  insert_->bind(3, format_timestamp(ts));
  insert_->bind(4, to_string(type));
  if (strategy == kNoStrategy) insert_->bind(5); else insert_->bind(5, strategy_ids_.at(strategy));
  if (symbol == kNoSymbol) insert_->bind(6); else insert_->bind(6, symbols_.name(symbol));
  insert_->bind(7, data);
  insert_->exec();
  insert_->reset();
  if (++batch_ >= kBatchSize) flush();
}

}  // namespace qtrader
