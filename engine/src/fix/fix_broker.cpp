#include "fix/fix_broker.hpp"

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "fix/fix_order_mapping.hpp"
#include "fix/fix_session.hpp"
#include "fix/fix_time.hpp"

namespace qtrader::fix {

namespace {

Timestamp now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What the broker has to know of an order to cancel it (35=F repeats the
// order's symbol, side and quantity), from a submit or from any report.
void remember(std::unordered_map<std::string, live::BrokerOrder>& orders, const live::BrokerExecution& e) {
  if (e.client_order_id.empty() || orders.count(e.client_order_id)) return;
  live::BrokerOrder o;
  o.client_order_id = e.client_order_id;
  o.symbol = e.symbol;
  o.side = e.side;
  o.quantity = e.order_quantity;
  o.type = e.order_type;
  o.limit_price = e.limit_price;
  o.stop_price = e.stop_price;
  o.tif = TimeInForce::GTC;
  orders.emplace(o.client_order_id, std::move(o));
}

}  // namespace

class FixBroker::Impl final : public FixInitiatorSession::Handler {
 public:
  explicit Impl(FixSessionConfig config) : session(std::move(config), "broker", *this) {}
  ~Impl() override { session.stop(); }

  // An answer to request_state being gathered on QuickFIX's thread.
  struct StateRequest {
    std::string mass_status_id, positions_id;
    bool orders_done = false;
    int positions_expected = -1;  // from the RequestForPositionsAck
    std::string error;
    bool reports_taken = false;
    live::BrokerState state;
    bool complete() const {
      return !error.empty() ||
             (orders_done && positions_expected >= 0 &&
              static_cast<int>(state.positions.size()) >= positions_expected);
    }
  };

  void on_app_message(const FIX::Message& m) override;
  void on_admin_message(const FIX::Message& m) override;
  void on_sending(const FIX::Message& m) override;

  void report(live::BrokerExecution e);  // with `mutex` held
  // With `mutex` held, after the pending state request changed: once it is
  // complete, the reports queued so far are the ones its answer includes.
  void settle_pending() {
    if (!pending || pending->reports_taken || !pending->complete()) return;
    pending->reports_taken = true;
    pending->state.reports_before.swap(queue);
    state_changed.notify_all();
  }
  void on_execution_report(const FIX::Message& m);
  void on_positions_ack(const FIX::Message& m);
  void on_position_report(const FIX::Message& m);
  void on_business_reject(const FIX::Message& m);

  std::string account() const {
    return session.config().account.empty() ? session.config().sender_comp_id : session.config().account;
  }

  mutable std::mutex mutex;
  std::condition_variable state_changed;
  std::vector<live::BrokerExecution> queue;
  std::unordered_set<std::string> exec_ids;                  // reports delivered in this process
  std::unordered_map<std::string, live::BrokerOrder> orders;  // by client order id
  std::unordered_map<int, std::string> order_by_seq;         // MsgSeqNum of a 35=D -> its ClOrdID
  // An order's latest ClOrdID after a replace (35=G names the order by it).
  std::unordered_map<std::string, std::string> current_id;
  // The order as sent, under its latest ClOrdID (what 35=F and 35=G repeat).
  live::BrokerOrder current(const std::string& client_order_id) const {
    live::BrokerOrder o = orders.at(client_order_id);
    if (const auto it = current_id.find(client_order_id); it != current_id.end()) o.client_order_id = it->second;
    return o;
  }
  std::optional<StateRequest> pending;
  std::unordered_map<std::string, std::optional<live::BrokerExecution>> status_answers;  // by OrdStatusReqID
  // Last: destroyed first, so QuickFIX's thread is gone before what it touches.
  FixInitiatorSession session;
};

void FixBroker::Impl::report(live::BrokerExecution e) {
  if (!e.exec_id.empty() && !exec_ids.insert(e.exec_id).second) {
    spdlog::info("FIX broker: execution {} of order {} again (a resend): dropped", e.exec_id,
                 e.client_order_id);
    return;
  }
  remember(orders, e);
  queue.push_back(std::move(e));
}

void FixBroker::Impl::on_app_message(const FIX::Message& m) {
  const std::string type = field_or_empty(m.getHeader(), FIX::FIELD::MsgType);
  if (type == FIX::MsgType_ExecutionReport) return on_execution_report(m);
  if (type == FIX::MsgType_OrderCancelReject) {
    std::lock_guard lock(mutex);
    return report(execution_from_cancel_reject(m));
  }
  if (type == FIX::MsgType_RequestForPositionsAck) return on_positions_ack(m);
  if (type == FIX::MsgType_PositionReport) return on_position_report(m);
  if (type == FIX::MsgType_BusinessMessageReject) return on_business_reject(m);
  spdlog::debug("FIX broker: ignored a message of type {}", type);
}

void FixBroker::Impl::on_execution_report(const FIX::Message& m) {
  live::BrokerExecution e = execution_from_report(m);
  std::lock_guard lock(mutex);
  if (const std::string status_id = field_or_empty(m, FIX::FIELD::OrdStatusReqID); !status_id.empty()) {
    const auto it = status_answers.find(status_id);
    if (it == status_answers.end()) return;  // the answer to a request that gave up
    e.kind = live::ExecutionKind::Status;
    it->second = std::move(e);
    state_changed.notify_all();
    return;
  }
  const std::string mass_id = field_or_empty(m, FIX::FIELD::MassStatusReqID);
  if (e.kind == live::ExecutionKind::Replaced) {
    // The order now goes by the replace's ClOrdID, with its new size and prices.
    current_id[e.client_order_id] = field_or_empty(m, FIX::FIELD::ClOrdID);
    if (auto it = orders.find(e.client_order_id); it != orders.end()) {
      it->second.quantity = e.order_quantity;
      if (std::isfinite(e.limit_price)) it->second.limit_price = e.limit_price;
      if (std::isfinite(e.stop_price)) it->second.stop_price = e.stop_price;
    }
  }
  if (mass_id.empty()) return report(std::move(e));
  remember(orders, e);
  if (!pending || mass_id != pending->mass_status_id) return;  // the answer to an older request
  // An empty answer is one report with TotNumReports=0 (docs/fix.md).
  if (field_or_empty(m, FIX::FIELD::TotNumReports) != "0") {
    e.kind = live::ExecutionKind::Status;
    pending->state.open_orders.push_back(std::move(e));
  }
  if (field_or_empty(m, FIX::FIELD::LastRptRequested) == "Y") pending->orders_done = true;
  state_changed.notify_all();
  settle_pending();
}

void FixBroker::Impl::on_positions_ack(const FIX::Message& m) {
  std::lock_guard lock(mutex);
  if (!pending || field_or_empty(m, FIX::FIELD::PosReqID) != pending->positions_id) return;
  const std::string result = field_or_empty(m, FIX::FIELD::PosReqResult);
  if (result == "2") {  // no positions
    pending->positions_expected = 0;
  } else if (result == "0") {
    pending->positions_expected = std::atoi(field_or_empty(m, FIX::FIELD::TotalNumPosReports).c_str());
  } else {
    pending->error = fmt::format("the venue refused the position request (PosReqResult {}): {}", result,
                                 field_or_empty(m, FIX::FIELD::Text));
  }
  state_changed.notify_all();
  settle_pending();
}

void FixBroker::Impl::on_position_report(const FIX::Message& m) {
  std::lock_guard lock(mutex);
  if (!pending || field_or_empty(m, FIX::FIELD::PosReqID) != pending->positions_id) return;
  live::BrokerPosition p;
  p.symbol = field_or_empty(m, FIX::FIELD::Symbol);
  double quantity = 0;
  FIX44::PositionReport::NoPositions group;
  const int n = m.groupCount(FIX::FIELD::NoPositions);
  for (int i = 1; i <= n; ++i) {
    m.getGroup(i, group);
    const std::string long_qty = field_or_empty(group, FIX::FIELD::LongQty);
    const std::string short_qty = field_or_empty(group, FIX::FIELD::ShortQty);
    if (!long_qty.empty()) quantity += parse_fix_number(long_qty);
    if (!short_qty.empty()) quantity -= parse_fix_number(short_qty);
  }
  p.quantity = quantity;
  // The dialect's average price (docs/fix.md): SettlPrice with SettlPriceType 2.
  p.average_price = parse_fix_number(field_or_empty(m, FIX::FIELD::SettlPrice));
  pending->state.positions.push_back(std::move(p));
  state_changed.notify_all();
  settle_pending();
}

void FixBroker::Impl::on_business_reject(const FIX::Message& m) {
  const std::string ref_type = field_or_empty(m, FIX::FIELD::RefMsgType);
  const std::string text = field_or_empty(m, FIX::FIELD::Text);
  std::lock_guard lock(mutex);
  if (ref_type == FIX::MsgType_NewOrderSingle) {
    live::BrokerExecution e;
    e.client_order_id = field_or_empty(m, FIX::FIELD::BusinessRejectRefID);
    e.exec_id = "business-reject:" + field_or_empty(m, FIX::FIELD::RefSeqNum);
    e.kind = live::ExecutionKind::Rejected;
    e.text = text;
    if (auto it = orders.find(e.client_order_id); it != orders.end()) {
      e.symbol = it->second.symbol;
      e.side = it->second.side;
      e.order_quantity = it->second.quantity;
    }
    return report(std::move(e));
  }
  if (pending && (ref_type == FIX::MsgType_OrderMassStatusRequest || ref_type == FIX::MsgType_RequestForPositions)) {
    pending->error = fmt::format("the venue rejected the {} request: {}",
                                 ref_type == FIX::MsgType_RequestForPositions ? "position" : "order status", text);
    state_changed.notify_all();
    return;
  }
  spdlog::warn("FIX broker: business reject of a {} message: {}", ref_type, text);
}

void FixBroker::Impl::on_admin_message(const FIX::Message& m) {
  if (field_or_empty(m.getHeader(), FIX::FIELD::MsgType) != FIX::MsgType_Reject) return;
  const std::string seq = field_or_empty(m, FIX::FIELD::RefSeqNum);
  const std::string text = field_or_empty(m, FIX::FIELD::Text);
  std::lock_guard lock(mutex);
  const auto it = order_by_seq.find(std::atoi(seq.c_str()));
  if (it == order_by_seq.end()) {
    spdlog::warn("FIX broker: the venue rejected our message {}: {}", seq, text);
    return;
  }
  live::BrokerExecution e;
  e.client_order_id = it->second;
  e.exec_id = "session-reject:" + seq;
  e.kind = live::ExecutionKind::Rejected;
  e.text = "session-level reject: " + text;
  if (auto o = orders.find(e.client_order_id); o != orders.end()) {
    e.symbol = o->second.symbol;
    e.side = o->second.side;
    e.order_quantity = o->second.quantity;
  }
  report(std::move(e));
}

void FixBroker::Impl::on_sending(const FIX::Message& m) {
  if (field_or_empty(m.getHeader(), FIX::FIELD::MsgType) != FIX::MsgType_NewOrderSingle) return;
  const int seq = std::atoi(field_or_empty(m.getHeader(), FIX::FIELD::MsgSeqNum).c_str());
  std::lock_guard lock(mutex);
  order_by_seq[seq] = field_or_empty(m, FIX::FIELD::ClOrdID);
}

FixBroker::FixBroker(FixSessionConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
FixBroker::~FixBroker() = default;

std::string FixBroker::name() const {
  const auto& c = impl_->session.config();
  return fmt::format("fix {}->{}@{}:{}", c.sender_comp_id, c.target_comp_id, c.host, c.port);
}

void FixBroker::start() {
  impl_->session.start();
  const auto timeout = std::chrono::seconds(impl_->session.config().logon_timeout_seconds);
  if (!impl_->session.wait_for_logon(timeout))
    spdlog::warn("FIX {}: not logged on after {} s; still trying", impl_->session.describe(), timeout.count());
}

void FixBroker::stop() { impl_->session.stop(); }

bool FixBroker::connected() const { return impl_->session.logged_on(); }

bool FixBroker::wait_until_connected(std::chrono::milliseconds timeout) {
  return impl_->session.wait_for_logon(timeout);
}

std::pair<int, int> FixBroker::sequence_numbers() const { return impl_->session.sequence_numbers(); }

std::string FixBroker::refusal(const live::BrokerOrder& order) const {
  try {
    new_order_single(order, impl_->session.config().account, 0);
    return {};
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

void FixBroker::submit(const live::BrokerOrder& order) {
  auto message = new_order_single(order, impl_->session.config().account, now_ns());
  {
    std::lock_guard lock(impl_->mutex);
    impl_->orders[order.client_order_id] = order;
  }
  if (!impl_->session.logged_on())
    spdlog::warn("FIX {}: order {} stored while logged out; it goes out with the resend after the next logon",
                 impl_->session.describe(), order.client_order_id);
  if (!impl_->session.send(message))
    throw std::runtime_error(fmt::format("FIX {}: order {} could not be sent or stored",
                                         impl_->session.describe(), order.client_order_id));
}

void FixBroker::cancel(const std::string& client_order_id) {
  live::BrokerOrder original;
  {
    std::lock_guard lock(impl_->mutex);
    const auto it = impl_->orders.find(client_order_id);
    if (it == impl_->orders.end())
      throw std::invalid_argument(fmt::format("FIX {}: cannot cancel order {}: not seen by this broker "
                                              "(submit it, or call request_state after a restart)",
                                              impl_->session.describe(), client_order_id));
    original = impl_->current(client_order_id);
  }
  // Unique for the session's life: the sequence number outlives restarts (the store).
  const std::string cancel_id =
      fmt::format("{}:cancel:{}", client_order_id, impl_->session.sequence_numbers().first);
  auto message = order_cancel_request(original, cancel_id, impl_->session.config().account, now_ns());
  if (!impl_->session.send(message))
    throw std::runtime_error(fmt::format("FIX {}: the cancel of order {} could not be sent or stored",
                                         impl_->session.describe(), client_order_id));
}

void FixBroker::replace(const std::string& client_order_id, const live::BrokerReplace& change) {
  live::BrokerOrder current;
  {
    std::lock_guard lock(impl_->mutex);
    if (!impl_->orders.count(client_order_id))
      throw std::invalid_argument(fmt::format("FIX {}: cannot replace order {}: not seen by this broker "
                                              "(submit it, or call request_state after a restart)",
                                              impl_->session.describe(), client_order_id));
    current = impl_->current(client_order_id);
  }
  const std::string replace_id =
      fmt::format("{}:replace:{}", client_order_id, impl_->session.sequence_numbers().first);
  auto message = order_cancel_replace_request(current, change, replace_id, impl_->session.config().account, now_ns());
  if (!impl_->session.send(message))
    throw std::runtime_error(fmt::format("FIX {}: the replace of order {} could not be sent or stored",
                                         impl_->session.describe(), client_order_id));
}

std::vector<live::BrokerExecution> FixBroker::poll() {
  std::lock_guard lock(impl_->mutex);
  std::vector<live::BrokerExecution> out;
  out.swap(impl_->queue);
  return out;
}

live::BrokerState FixBroker::request_state(std::chrono::milliseconds timeout) {
  const int seq = impl_->session.sequence_numbers().first;
  Impl::StateRequest request;
  request.mass_status_id = fmt::format("qtrader-status-{}", seq);
  request.positions_id = fmt::format("qtrader-positions-{}", seq);
  {
    std::lock_guard lock(impl_->mutex);
    impl_->pending = request;
  }
  const Timestamp now = now_ns();
  FIX44::OrderMassStatusRequest status;
  status.set(FIX::MassStatusReqID(request.mass_status_id));
  status.set(FIX::MassStatusReqType(FIX::MassStatusReqType_STATUS_FOR_ALL_ORDERS));
  if (!impl_->session.config().account.empty()) status.set(FIX::Account(impl_->session.config().account));
  FIX44::RequestForPositions positions;
  positions.set(FIX::PosReqID(request.positions_id));
  positions.set(FIX::PosReqType(FIX::PosReqType_POSITIONS));
  positions.set(FIX::Account(impl_->account()));
  positions.set(FIX::AccountType(FIX::AccountType_ACCOUNT_IS_CARRIED_ON_CUSTOMER_SIDE_OF_THE_BOOKS));
  positions.setField(FIX::FieldBase(FIX::FIELD::ClearingBusinessDate, fix_date(now)));
  positions.setField(FIX::FieldBase(FIX::FIELD::TransactTime, fix_timestamp(now)));
  impl_->session.send(status);
  impl_->session.send(positions);

  std::unique_lock lock(impl_->mutex);
  const bool done = impl_->state_changed.wait_for(lock, timeout, [&] { return impl_->pending->reports_taken; });
  Impl::StateRequest answer = std::move(*impl_->pending);
  impl_->pending.reset();
  if (!answer.error.empty()) throw std::runtime_error(fmt::format("FIX {}: {}", impl_->session.describe(), answer.error));
  if (!done)
    throw std::runtime_error(fmt::format(
        "FIX {}: no complete answer to the order status and position requests within {} ms{}",
        impl_->session.describe(), timeout.count(), impl_->session.logged_on() ? "" : " (not logged on)"));
  return std::move(answer.state);
}

std::vector<live::BrokerExecution> FixBroker::order_status(const std::vector<std::string>& client_order_ids,
                                                          std::chrono::milliseconds timeout) {
  const int seq = impl_->session.sequence_numbers().first;
  std::vector<std::string> request_ids;
  for (std::size_t i = 0; i < client_order_ids.size(); ++i) {
    const std::string& id = client_order_ids[i];
    live::BrokerOrder known;
    {
      std::lock_guard lock(impl_->mutex);
      request_ids.push_back(fmt::format("qtrader-order-status-{}-{}", seq, i + 1));
      impl_->status_answers[request_ids.back()] = std::nullopt;
      if (const auto it = impl_->orders.find(id); it != impl_->orders.end()) known = it->second;
    }
    FIX44::OrderStatusRequest m;
    m.set(FIX::ClOrdID(id));
    m.set(FIX::OrdStatusReqID(request_ids.back()));
    if (!impl_->session.config().account.empty()) m.set(FIX::Account(impl_->session.config().account));
    // Symbol and Side are required by 35=H; after a restart the order is
    // known by its id alone until a report names them.
    m.set(FIX::Symbol(known.symbol.empty() ? "[N/A]" : known.symbol));
    m.set(FIX::Side(known.side == Side::Sell ? FIX::Side_SELL : FIX::Side_BUY));
    impl_->session.send(m);
  }
  std::unique_lock lock(impl_->mutex);
  const auto all_in = [&] {
    for (const auto& r : request_ids)
      if (!impl_->status_answers.at(r)) return false;
    return true;
  };
  const bool done = impl_->state_changed.wait_for(lock, timeout, all_in);
  std::vector<live::BrokerExecution> out;
  for (std::size_t i = 0; i < request_ids.size(); ++i) {
    auto answer = std::move(impl_->status_answers.at(request_ids[i]));
    impl_->status_answers.erase(request_ids[i]);
    if (!answer) continue;
    answer->client_order_id = client_order_ids[i];
    remember(impl_->orders, *answer);
    out.push_back(std::move(*answer));
  }
  if (!done)
    throw std::runtime_error(fmt::format("FIX {}: no answer to {} of {} order status requests within {} ms{}",
                                         impl_->session.describe(), request_ids.size() - out.size(),
                                         request_ids.size(), timeout.count(),
                                         impl_->session.logged_on() ? "" : " (not logged on)"));
  return out;
}

std::unique_ptr<live::Broker> make_fix_broker(const YAML::Node& section, const std::string& file,
                                              const std::string& key) {
  return std::make_unique<FixBroker>(read_fix_session_config(section, file, key));
}

}  // namespace qtrader::fix
