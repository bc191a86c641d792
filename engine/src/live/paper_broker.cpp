#include "live/paper_broker.hpp"

#include <filesystem>

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <cmath>

namespace qtrader::live {

PaperBroker::PaperBroker(const std::string& dir, const ExecutionConfig& execution, const PortfolioConfig& rules,
                         double initial_cash, const SymbolTable& symbols, std::vector<ExchangeClock> clocks)
    : db_(std::make_unique<SQLite::Database>((std::filesystem::path(dir) / "paper_broker.sqlite").string(),
                                             SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)),
      last_bar_(symbols.size(), -1),
      symbols_(symbols), portfolio_(bus_, initial_cash, symbols.size(), rules),
      execution_(bus_, execution, rules, portfolio_, symbols.size(), nullptr, std::move(clocks)) {
  // The book's facts become the venue's reports.
  bus_.subscribe<OrderUpdateEvent>([this](const OrderUpdateEvent& e) {
    auto& w = orders_.at(e.order_id);
    if (e.reason == "replaced" && changing_) {
      w.order.quantity = e.quantity;
      if (!std::isnan(change_.limit_price)) w.order.limit_price = change_.limit_price;
      if (!std::isnan(change_.stop_price)) w.order.stop_price = change_.stop_price;
      report(w, ExecutionKind::Replaced, e.ts);
      return;
    }
    switch (e.status) {
      case OrderStatus::Accepted: report(w, ExecutionKind::New, e.ts); break;
      case OrderStatus::Cancelled: report(w, ExecutionKind::Cancelled, e.ts, 0, kNaN, 0, e.reason); break;
      case OrderStatus::Expired: report(w, ExecutionKind::Expired, e.ts, 0, kNaN, 0, e.reason); break;
      default: break;  // fills are reported from their FillEvent
    }
  });
  bus_.subscribe<FillEvent>([this](const FillEvent& e) {
    auto& w = orders_.at(e.order_id);
    w.cumulative += e.quantity;
    w.notional += e.quantity * e.price;
    const bool last = w.cumulative >= w.order.quantity;
    report(w, last ? ExecutionKind::Fill : ExecutionKind::PartialFill, e.ts, e.quantity, e.price, e.commission);
  });
  bus_.subscribe<OrderRejectedEvent>([this](const OrderRejectedEvent& e) {
    const auto it = orders_.find(e.order_id);
    if (it == orders_.end()) return;
    // A cancel or replace refused: the order goes on (or has ended), as FIX 35=9 says.
    report(it->second, changing_ ? ExecutionKind::CancelRejected : ExecutionKind::Rejected, e.ts, 0, kNaN, 0,
           e.reason);
  });
}

void PaperBroker::report(Working& w, ExecutionKind kind, Timestamp ts, double last_qty, double last_price,
                         double commission, std::string text) {
  BrokerExecution x;
  x.client_order_id = w.client_order_id;
  x.broker_order_id = "P" + std::to_string(by_client_.at(w.client_order_id));
  x.exec_id = w.client_order_id + "-" + std::to_string(++w.reports);
  x.kind = kind;
  x.symbol = w.order.symbol;
  x.side = w.order.side;
  x.order_quantity = w.order.quantity;
  x.limit_price = w.order.limit_price;
  x.stop_price = w.order.stop_price;
  x.last_quantity = last_qty;
  x.last_price = last_price;
  x.cumulative_quantity = w.cumulative;
  x.leaves_quantity = kind == ExecutionKind::New || kind == ExecutionKind::PartialFill ||
                              kind == ExecutionKind::Replaced || kind == ExecutionKind::CancelRejected
                          ? w.order.quantity - w.cumulative
                          : 0;
  x.commission = commission;
  x.text = std::move(text);
  x.transact_time = ts;
  if (kind == ExecutionKind::Fill) w.state = BrokerOrderState::Filled;
  if (kind == ExecutionKind::Cancelled) w.state = BrokerOrderState::Cancelled;
  if (kind == ExecutionKind::Expired) w.state = BrokerOrderState::Expired;
  if (kind == ExecutionKind::Rejected) w.state = BrokerOrderState::Rejected;
  x.state = w.state;
  if (w.cumulative > 0) x.average_price = w.notional / w.cumulative;
  outbox_.push_back(std::move(x));
}

PaperBroker::~PaperBroker() = default;

namespace {
constexpr const char* kInputs =
    "CREATE TABLE IF NOT EXISTS inputs (seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, id TEXT, "
    "symbol TEXT, side INTEGER, quantity REAL, type INTEGER, limit_price REAL, stop_price REAL, tif INTEGER, "
    "ts INTEGER, open REAL, high REAL, low REAL, close REAL, volume REAL, flags INTEGER, trail_amount REAL, "
    "trail_percent REAL, expire_at INTEGER)";

void bind_or_null(SQLite::Statement& q, int i, double v) {
  if (std::isfinite(v)) q.bind(i, v);
}
}  // namespace

// The book comes back by running its inputs again: the same orders get the
// same reports (exec ids included), so the adapter drops those it applied
// and takes those it never saw.
void PaperBroker::start() {
  db_->exec("PRAGMA journal_mode=WAL");
  db_->exec("PRAGMA synchronous=NORMAL");
  db_->exec(kInputs);
  // A journal from before trailing stops and GTD orders reached the paper venue.
  if (!db_->execAndGet("SELECT COUNT(*) FROM pragma_table_info('inputs') WHERE name = 'expire_at'").getInt())
    db_->exec("ALTER TABLE inputs ADD COLUMN trail_amount REAL; ALTER TABLE inputs ADD COLUMN trail_percent REAL; "
              "ALTER TABLE inputs ADD COLUMN expire_at INTEGER");
  SQLite::Statement q(*db_, "SELECT kind, id, symbol, side, quantity, type, limit_price, stop_price, tif, ts, open, "
                            "high, low, close, volume, flags, trail_amount, trail_percent, expire_at FROM inputs "
                            "ORDER BY seq");
  const auto num = [&](int c) { return q.getColumn(c).isNull() ? kNaN : q.getColumn(c).getDouble(); };
  while (q.executeStep()) {
    const std::string kind = q.getColumn(0).getString();
    if (kind == "submit") {
      BrokerOrder o;
      o.client_order_id = q.getColumn(1).getString();
      o.symbol = q.getColumn(2).getString();
      o.side = static_cast<Side>(q.getColumn(3).getInt());
      o.quantity = num(4);
      o.type = static_cast<OrderType>(q.getColumn(5).getInt());
      o.limit_price = num(6);
      o.stop_price = num(7);
      o.tif = static_cast<TimeInForce>(q.getColumn(8).getInt());
      o.created_at = q.getColumn(9).getInt64();
      o.trail_amount = num(16);
      o.trail_percent = num(17);
      o.expire_at = q.getColumn(18).isNull() ? 0 : q.getColumn(18).getInt64();
      apply_submit(o);
    } else if (kind == "cancel") {
      now_ = q.getColumn(9).getInt64();
      apply_cancel(q.getColumn(1).getString());
    } else if (kind == "replace") {
      now_ = q.getColumn(9).getInt64();
      apply_replace(q.getColumn(1).getString(), BrokerReplace{num(4), num(6), num(7)});
    } else {
      const SymbolId s = symbols_.find(q.getColumn(2).getString());
      if (s == kNoSymbol) continue;
      apply_bar(Bar{q.getColumn(9).getInt64(), s, num(10), num(11), num(12), num(13), num(14), kNaN},
                static_cast<std::uint8_t>(q.getColumn(15).getInt()));
    }
  }
  connected_ = true;
}

void PaperBroker::submit(const BrokerOrder& o) {
  SQLite::Statement q(*db_, "INSERT INTO inputs(kind, id, symbol, side, quantity, type, limit_price, stop_price, "
                            "tif, ts, trail_amount, trail_percent, expire_at) "
                            "VALUES ('submit', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, o.client_order_id);
  q.bind(2, o.symbol);
  q.bind(3, static_cast<int>(o.side));
  q.bind(4, o.quantity);
  q.bind(5, static_cast<int>(o.type));
  bind_or_null(q, 6, o.limit_price);
  bind_or_null(q, 7, o.stop_price);
  q.bind(8, static_cast<int>(o.tif));
  q.bind(9, static_cast<std::int64_t>(o.created_at));
  bind_or_null(q, 10, o.trail_amount);
  bind_or_null(q, 11, o.trail_percent);
  q.bind(12, static_cast<std::int64_t>(o.expire_at));
  q.exec();
  apply_submit(o);
}

void PaperBroker::apply_submit(const BrokerOrder& o) {
  const SymbolId s = symbols_.find(o.symbol);
  const OrderId id = next_id_++;
  by_client_[o.client_order_id] = id;
  orders_[id] = Working{o.client_order_id, o};
  if (s == kNoSymbol) {
    report(orders_[id], ExecutionKind::Rejected, o.created_at, 0, kNaN, 0, "unknown symbol " + o.symbol);
    return;
  }
  OrderSpec spec;
  spec.type = o.type;
  spec.limit_price = o.limit_price;
  spec.stop_price = o.stop_price;
  spec.tif = o.tif;
  spec.trail_amount = o.trail_amount;
  spec.trail_percent = o.trail_percent;
  spec.expiry = o.expire_at;
  bus_.publish(OrderEvent{o.created_at, id, 0, 0, s, o.side, o.quantity, spec});
}

void PaperBroker::cancel(const std::string& client_order_id) {
  SQLite::Statement q(*db_, "INSERT INTO inputs(kind, id, ts) VALUES ('cancel', ?, ?)");
  q.bind(1, client_order_id);
  q.bind(2, static_cast<std::int64_t>(now_));
  q.exec();
  apply_cancel(client_order_id);
}

void PaperBroker::replace(const std::string& client_order_id, const BrokerReplace& change) {
  SQLite::Statement q(*db_, "INSERT INTO inputs(kind, id, quantity, limit_price, stop_price, ts) "
                            "VALUES ('replace', ?, ?, ?, ?, ?)");
  q.bind(1, client_order_id);
  q.bind(2, change.quantity);
  bind_or_null(q, 3, change.limit_price);
  bind_or_null(q, 4, change.stop_price);
  q.bind(5, static_cast<std::int64_t>(now_));
  q.exec();
  apply_replace(client_order_id, change);
}

// The book's own modify (ExecutionService, order_modify.cpp): the order keeps
// its id, goes to the back of the arrival order and works from the next bar.
void PaperBroker::apply_replace(const std::string& client_order_id, const BrokerReplace& change) {
  const auto it = by_client_.find(client_order_id);
  if (it == by_client_.end()) {
    BrokerExecution x;
    x.client_order_id = client_order_id;
    x.exec_id = client_order_id + "-replace-rejected-" + std::to_string(++replaces_rejected_);
    x.kind = ExecutionKind::CancelRejected;
    x.text = "unknown order";
    x.transact_time = now_;
    outbox_.push_back(std::move(x));
    return;
  }
  changing_ = &client_order_id;
  change_ = change;
  bus_.publish(ModifyOrderEvent{now_, it->second, 0, change.quantity, change.limit_price, change.stop_price});
  changing_ = nullptr;
}

void PaperBroker::apply_cancel(const std::string& client_order_id) {
  const auto it = by_client_.find(client_order_id);
  if (it == by_client_.end()) return;
  changing_ = &client_order_id;
  bus_.publish(CancelRequestEvent{now_, it->second, 0});
  changing_ = nullptr;
}

// A bar at or before the last one the book saw is one it had before a
// restart: the market does not move twice.
void PaperBroker::on_bar(const Bar& bar, std::uint8_t flags) {
  if (bar.ts <= last_bar_[bar.symbol]) return;
  SQLite::Statement q(*db_, "INSERT INTO inputs(kind, symbol, ts, open, high, low, close, volume, flags) "
                            "VALUES ('bar', ?, ?, ?, ?, ?, ?, ?, ?)");
  q.bind(1, symbols_.name(bar.symbol));
  q.bind(2, static_cast<std::int64_t>(bar.ts));
  bind_or_null(q, 3, bar.open);
  bind_or_null(q, 4, bar.high);
  bind_or_null(q, 5, bar.low);
  bind_or_null(q, 6, bar.close);
  bind_or_null(q, 7, bar.volume);
  q.bind(8, static_cast<int>(flags));
  q.exec();
  apply_bar(bar, flags);
}

void PaperBroker::apply_bar(const Bar& bar, std::uint8_t flags) {
  now_ = bar.ts;
  last_bar_[bar.symbol] = std::max(last_bar_[bar.symbol], bar.ts);
  bus_.publish(BarEvent{bar, flags});
}

std::vector<BrokerExecution> PaperBroker::poll() { return std::exchange(outbox_, {}); }

BrokerState PaperBroker::request_state(std::chrono::milliseconds) {
  BrokerState state;
  for (const auto& [id, w] : orders_)
    if (execution_.find(id)) {
      BrokerExecution x;
      x.client_order_id = w.client_order_id;
      x.kind = ExecutionKind::Status;
      x.symbol = w.order.symbol;
      x.side = w.order.side;
      x.order_quantity = w.order.quantity;
      x.cumulative_quantity = w.cumulative;
      x.leaves_quantity = w.order.quantity - w.cumulative;
      state.open_orders.push_back(std::move(x));
    }
  for (const auto& p : portfolio_.open_positions())
    state.positions.push_back({symbols_.name(p.symbol), p.quantity, p.avg_price});
  state.cash = portfolio_.cash();
  state.reports_before = poll();
  return state;
}

std::vector<BrokerExecution> PaperBroker::order_status(const std::vector<std::string>& client_order_ids,
                                                       std::chrono::milliseconds) {
  std::vector<BrokerExecution> out;
  for (const auto& id : client_order_ids) {
    BrokerExecution x;
    x.client_order_id = id;
    x.kind = ExecutionKind::Status;
    if (const auto it = by_client_.find(id); it != by_client_.end()) {
      const Working& w = orders_.at(it->second);
      x.broker_order_id = "P" + std::to_string(it->second);
      x.symbol = w.order.symbol;
      x.side = w.order.side;
      x.order_quantity = w.order.quantity;
      x.cumulative_quantity = w.cumulative;
      x.leaves_quantity = w.state == BrokerOrderState::Working ? w.order.quantity - w.cumulative : 0;
      if (w.cumulative > 0) x.average_price = w.notional / w.cumulative;
      x.state = w.state;
      x.transact_time = now_;
    }
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace qtrader::live
