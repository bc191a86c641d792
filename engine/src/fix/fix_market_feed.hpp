// live::MarketFeed over a FIX 4.4 session (docs/fix.md "Market data"):
// MarketDataRequest (35=V, snapshot + updates) for the symbols; bars and
// trades from MarketDataSnapshotFullRefresh (35=W) and
// MarketDataIncrementalRefresh (35=X) in the dialect the document defines.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fix/fix_session_config.hpp"
#include "live/market_feed.hpp"

namespace YAML {
class Node;
}

namespace qtrader::fix {

class FixMarketFeed final : public live::MarketFeed {
 public:
  explicit FixMarketFeed(FixSessionConfig config);
  ~FixMarketFeed() override;

  std::string name() const override;  // "fix QTRADER-MD->VENUE@127.0.0.1:9000"
  // Connects and subscribes on every logon (again after a reconnect); waits
  // up to logon_timeout for the first logon.
  void start(const std::vector<std::string>& symbols) override;
  void stop() override;
  bool connected() const override;
  // Throws std::runtime_error once the venue rejected the subscription (35=Y).
  std::vector<live::FeedUpdate> poll(std::chrono::milliseconds wait) override;
  // Every symbol's SecurityStatus said the data has ended (326=18) and
  // everything before it was polled.
  bool finished() const override;

  bool wait_until_connected(std::chrono::milliseconds timeout);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// A FixMarketFeed from the `live.feed` section (kind: fix) of `file`.
std::unique_ptr<live::MarketFeed> make_fix_feed(const YAML::Node& section, const std::string& file,
                                                const std::string& key = "live.feed");

}  // namespace qtrader::fix
