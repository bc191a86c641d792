// Publishes a CorporateActionEvent when a split or dividend takes effect, so
// the run's event store holds it for consumers (contracts/data/
// corporate_action.v1.json). Subscribed to the bars before the portfolio and
// execution: the event precedes their use of the same table on that bar.
#pragma once

#include <string>
#include <string_view>

#include <cstddef>
#include <vector>

#include "data/corporate_actions.hpp"
#include "qtrader/event_bus.hpp"

namespace qtrader {

class CorporateActionFeed {
 public:
  CorporateActionFeed(EventBus& bus, const CorporateActions& actions, std::size_t symbol_count);
  // Checkpoints: the first action not yet published, by symbol, and back.
  std::string snapshot() const;
  void restore(std::string_view json);

 private:
  void on_bar(const BarEvent& e);

  EventBus& bus_;
  const CorporateActions& actions_;
  std::vector<std::size_t> next_;  // by symbol id: the first action not yet published
};

}  // namespace qtrader
