// The paper broker behind the Broker interface (docs/live.md "Brokers"),
// as an external venue would be: `live.broker.kind: paper_venue`. It fills
// by the backtest's rules because it is the backtest's execution — an
// ExecutionService and a Portfolio (for the cash checks) on a bus of its
// own — fed the live bars through on_bar before the engine sees them.
// Its reports are the ones a venue sends: New, PartialFill, Fill,
// Cancelled, Expired, Rejected, with exec ids `<client order id>-<n>`.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "execution/execution_service.hpp"
#include "live/broker.hpp"
#include "portfolio/portfolio.hpp"
#include "qtrader/symbol_table.hpp"

namespace SQLite {
class Database;
}

namespace qtrader::live {

class PaperBroker final : public Broker {
 public:
  // `dir`: where paper_broker.sqlite keeps the book's inputs (bars, orders,
  // cancels), which start() replays: the book survives a kill of the process.
  PaperBroker(const std::string& dir, const ExecutionConfig& execution, const PortfolioConfig& rules,
              double initial_cash, const SymbolTable& symbols, std::vector<ExchangeClock> clocks);
  ~PaperBroker() override;

  std::string name() const override { return "paper_venue"; }
  void start() override;
  void stop() override { connected_ = false; }
  bool connected() const override { return connected_; }
  // The paper book is the backtest's execution: it takes every order type.
  std::string refusal(const BrokerOrder&) const override { return {}; }
  void submit(const BrokerOrder& order) override;
  void cancel(const std::string& client_order_id) override;
  // The backtest's modify (ModifyOrderEvent): answered Replaced, or
  // CancelRejected with execution's reason.
  void replace(const std::string& client_order_id, const BrokerReplace& change) override;
  std::vector<BrokerExecution> poll() override;
  BrokerState request_state(std::chrono::milliseconds timeout) override;
  std::vector<BrokerExecution> order_status(const std::vector<std::string>& client_order_ids,
                                            std::chrono::milliseconds timeout) override;

  // The market moves: the bar fills what it can (before the engine sees it).
  void on_bar(const Bar& bar, std::uint8_t flags);

 private:
  struct Working {
    std::string client_order_id;
    BrokerOrder order;
    double cumulative = 0;
    double notional = 0;  // sum of quantity × price of its fills
    BrokerOrderState state = BrokerOrderState::Working;
    int reports = 0;
  };
  void apply_submit(const BrokerOrder& order);
  void apply_cancel(const std::string& client_order_id);
  void apply_replace(const std::string& client_order_id, const BrokerReplace& change);
  void apply_bar(const Bar& bar, std::uint8_t flags);
  void report(Working&, ExecutionKind, Timestamp ts, double last_qty = 0, double last_price = kNaN,
              double commission = 0, std::string text = {});

  std::unique_ptr<SQLite::Database> db_;
  std::vector<Timestamp> last_bar_;  // per symbol: the last bar the book saw
  EventBus bus_;
  const SymbolTable& symbols_;
  Portfolio portfolio_;
  ExecutionService execution_;
  bool connected_ = false;
  OrderId next_id_ = 1;
  std::unordered_map<std::string, OrderId> by_client_;
  std::map<OrderId, Working> orders_;  // every order sent, by the paper book's id
  std::vector<BrokerExecution> outbox_;
  Timestamp now_ = 0;
  int replaces_rejected_ = 0;
  // The cancel or replace the book is answering: a refusal is a CancelRejected
  // of it (not a Rejected order), and a replace's prices are kept once it takes.
  const std::string* changing_ = nullptr;
  BrokerReplace change_;
};

}  // namespace qtrader::live
