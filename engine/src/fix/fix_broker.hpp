// live::Broker over a FIX 4.4 session (docs/fix.md): NewOrderSingle,
// OrderCancelRequest, ExecutionReport and OrderCancelReject, and the state
// requests OrderMassStatusRequest and RequestForPositions.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "fix/fix_session_config.hpp"
#include "live/broker.hpp"

namespace YAML {
class Node;
}

namespace qtrader::fix {

class FixBroker final : public live::Broker {
 public:
  explicit FixBroker(FixSessionConfig config);
  ~FixBroker() override;

  std::string name() const override;  // "fix QTRADER->VENUE@127.0.0.1:9000"
  // Opens the store and connects; waits up to logon_timeout for the logon
  // (the session keeps trying after that: see connected()).
  void start() override;
  void stop() override;
  bool connected() const override;
  // What new_order_single refuses (docs/fix.md "Orders"): trailing stops, market-on-close, ...
  std::string refusal(const live::BrokerOrder& order) const override;
  // Throws std::invalid_argument for an order FIX cannot carry here (docs/fix.md).
  void submit(const live::BrokerOrder& order) override;
  // Throws std::invalid_argument for an order this broker has not seen
  // (submitted, reported or listed by request_state in this process).
  void cancel(const std::string& client_order_id) override;
  // 35=G with ClOrdID `<id>:replace:<our next MsgSeqNum>`; the same throws as cancel,
  // and std::invalid_argument for an order type FIX does not replace here.
  void replace(const std::string& client_order_id, const live::BrokerReplace& change) override;
  std::vector<live::BrokerExecution> poll() override;
  // Sends 35=AF (all orders) and 35=AN (positions) and waits for both answers;
  // throws std::runtime_error when they are not complete within `timeout`.
  live::BrokerState request_state(std::chrono::milliseconds timeout) override;
  // One OrderStatusRequest (35=H) per order, OrdStatusReqID `qtrader-order-status-<seq>-<n>`;
  // throws std::runtime_error when the answers are not all in within `timeout`.
  std::vector<live::BrokerExecution> order_status(const std::vector<std::string>& client_order_ids,
                                                  std::chrono::milliseconds timeout) override;

  bool wait_until_connected(std::chrono::milliseconds timeout);
  // The next MsgSeqNum we send and the one we expect ({0, 0} before start()).
  std::pair<int, int> sequence_numbers() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// A FixBroker from the `live.broker` section (kind: fix) of `file`
// (fix_session_config.hpp lists the keys).
std::unique_ptr<live::Broker> make_fix_broker(const YAML::Node& section, const std::string& file,
                                              const std::string& key = "live.broker");

}  // namespace qtrader::fix
