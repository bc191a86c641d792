#include "fix/fix_market_feed.hpp"

#include <condition_variable>
#include <mutex>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "fix/fix_market_data.hpp"
#include "fix/fix_order_mapping.hpp"
#include "fix/fix_session.hpp"

namespace qtrader::fix {

class FixMarketFeed::Impl final : public FixInitiatorSession::Handler {
 public:
  explicit Impl(FixSessionConfig config) : session(std::move(config), "feed", *this) {}
  ~Impl() override { session.stop(); }

  void on_logon() override { subscribe(); }
  void on_app_message(const FIX::Message& m) override;
  void subscribe();
  // Queues `updates`, dropping bars at or before the symbol's last one (a
  // snapshot after a reconnect repeats the last bar); `mutex` held.
  void deliver(std::vector<live::FeedUpdate> updates);

  std::vector<std::string> symbols;  // set before start(), read on QuickFIX's thread
  mutable std::mutex mutex;
  std::condition_variable arrived;
  std::vector<live::FeedUpdate> queue;
  std::unordered_map<std::string, Timestamp> last_bar;  // by symbol
  std::set<std::string> ended;                          // symbols whose data has ended
  std::string rejected;                                 // the venue's reason for a 35=Y
  int subscriptions = 0;
  // Last: destroyed first, so QuickFIX's thread is gone before what it touches.
  FixInitiatorSession session;
};

void FixMarketFeed::Impl::subscribe() {
  FIX44::MarketDataRequest request;
  int n = 0;
  {
    std::lock_guard lock(mutex);
    n = ++subscriptions;
  }
  request.set(FIX::MDReqID(fmt::format("qtrader-md-{}-{}", session.sequence_numbers().first, n)));
  request.set(FIX::SubscriptionRequestType(FIX::SubscriptionRequestType_SNAPSHOT_PLUS_UPDATES));
  request.set(FIX::MarketDepth(1));
  request.set(FIX::MDUpdateType(FIX::MDUpdateType_INCREMENTAL_REFRESH));
  FIX44::MarketDataRequest::NoMDEntryTypes type;
  for (const char t : {'4', '7', '8', '5', 'B', '2'}) {
    type.set(FIX::MDEntryType(t));
    request.addGroup(type);
  }
  FIX44::MarketDataRequest::NoRelatedSym related;
  for (const auto& s : symbols) {
    related.set(FIX::Symbol(s));
    request.addGroup(related);
  }
  if (!session.send(request)) spdlog::error("FIX {}: the market data request could not be sent", session.describe());
  spdlog::info("FIX {}: subscribed to {} symbol(s)", session.describe(), symbols.size());
}

void FixMarketFeed::Impl::deliver(std::vector<live::FeedUpdate> updates) {
  for (auto& u : updates) {
    if (u.kind == live::FeedUpdate::Kind::Bar) {
      auto [it, fresh] = last_bar.try_emplace(u.symbol, u.ts);
      if (!fresh) {
        if (u.ts <= it->second) continue;
        it->second = u.ts;
      }
    }
    queue.push_back(std::move(u));
  }
  arrived.notify_all();
}

void FixMarketFeed::Impl::on_app_message(const FIX::Message& m) {
  const std::string type = field_or_empty(m.getHeader(), FIX::FIELD::MsgType);
  if (type == FIX::MsgType_MarketDataIncrementalRefresh) {
    auto updates = updates_from_incremental(m);
    std::lock_guard lock(mutex);
    return deliver(std::move(updates));
  }
  if (type == FIX::MsgType_MarketDataSnapshotFullRefresh) {
    auto updates = updates_from_snapshot(m);
    std::lock_guard lock(mutex);
    return deliver(std::move(updates));
  }
  if (type == FIX::MsgType_SecurityStatus) {
    if (field_or_empty(m, FIX::FIELD::SecurityTradingStatus) != "18") return;
    const std::string symbol = field_or_empty(m, FIX::FIELD::Symbol);
    spdlog::info("FIX {}: the venue's data of {} has ended", session.describe(), symbol);
    std::lock_guard lock(mutex);
    ended.insert(symbol);
    arrived.notify_all();
    return;
  }
  if (type == FIX::MsgType_MarketDataRequestReject) {
    const std::string text = field_or_empty(m, FIX::FIELD::Text);
    spdlog::error("FIX {}: market data request rejected: {}", session.describe(), text);
    std::lock_guard lock(mutex);
    rejected = text.empty() ? std::string("no reason given") : text;
    arrived.notify_all();
    return;
  }
  spdlog::debug("FIX {}: ignored a message of type {}", session.describe(), type);
}

FixMarketFeed::FixMarketFeed(FixSessionConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
FixMarketFeed::~FixMarketFeed() = default;

std::string FixMarketFeed::name() const {
  const auto& c = impl_->session.config();
  return fmt::format("fix {}->{}@{}:{}", c.sender_comp_id, c.target_comp_id, c.host, c.port);
}

void FixMarketFeed::start(const std::vector<std::string>& symbols) {
  if (symbols.empty()) throw std::invalid_argument("FIX feed: no symbols to subscribe to");
  impl_->symbols = symbols;
  impl_->session.start();
  const auto timeout = std::chrono::seconds(impl_->session.config().logon_timeout_seconds);
  if (!impl_->session.wait_for_logon(timeout))
    spdlog::warn("FIX {}: not logged on after {} s; still trying", impl_->session.describe(), timeout.count());
}

void FixMarketFeed::stop() { impl_->session.stop(); }

bool FixMarketFeed::connected() const { return impl_->session.logged_on(); }

bool FixMarketFeed::wait_until_connected(std::chrono::milliseconds timeout) {
  return impl_->session.wait_for_logon(timeout);
}

std::vector<live::FeedUpdate> FixMarketFeed::poll(std::chrono::milliseconds wait) {
  std::unique_lock lock(impl_->mutex);
  impl_->arrived.wait_for(lock, wait, [&] {
    return !impl_->queue.empty() || !impl_->rejected.empty() || impl_->ended.size() >= impl_->symbols.size();
  });
  if (impl_->queue.empty() && !impl_->rejected.empty())
    throw std::runtime_error(fmt::format("FIX {}: the venue rejected the market data request: {}",
                                         impl_->session.describe(), impl_->rejected));
  std::vector<live::FeedUpdate> out;
  out.swap(impl_->queue);
  return out;
}

bool FixMarketFeed::finished() const {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->queue.empty() || impl_->symbols.empty()) return false;
  for (const auto& s : impl_->symbols)
    if (!impl_->ended.count(s)) return false;
  return true;
}

std::unique_ptr<live::MarketFeed> make_fix_feed(const YAML::Node& section, const std::string& file,
                                                const std::string& key) {
  return std::make_unique<FixMarketFeed>(read_fix_session_config(section, file, key));
}

}  // namespace qtrader::fix
