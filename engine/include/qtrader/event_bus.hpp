// A synchronous, typed publish/subscribe bus. Handlers of one event type run in
// subscription order, so a run is deterministic; publishing from inside a handler
// runs the nested event's handlers at once (depth first), as a function call would.
#pragma once

#include <array>
#include <functional>
#include <utility>
#include <vector>

#include "qtrader/events.hpp"

namespace qtrader {

class EventBus {
 public:
  template <class E>
  void subscribe(std::function<void(const E&)> handler) {
    auto& list = handlers_[static_cast<std::size_t>(E::kType)];
    list.push_back([h = std::move(handler)](const void* e) { h(*static_cast<const E*>(e)); });
  }

  template <class E>
  void publish(const E& event) const {
    for (const auto& h : handlers_[static_cast<std::size_t>(E::kType)]) h(&event);
  }

 private:
  using Erased = std::function<void(const void*)>;
  std::array<std::vector<Erased>, static_cast<std::size_t>(EventType::Count_)> handlers_;
};

}  // namespace qtrader
