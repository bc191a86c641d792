#include "store/event_store.hpp"

#include <type_traits>

#include "store/event_json.hpp"
#include "store/counting_event_store.hpp"
#include "store/memory_event_store.hpp"
#include "store/sqlite_event_store.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace qtrader {

std::unique_ptr<EventStore> EventStore::open(const EventStoreConfig& config,
                                             const std::string& results_dir, EventBus& bus,
                                             const SymbolTable& symbols,
                                             const std::vector<std::string>& strategy_ids,
                                             TimestampFormat times) {
  if (config.backend == EventStoreBackend::Memory) return std::make_unique<MemoryEventStore>(bus, symbols, strategy_ids);
  if (config.backend == EventStoreBackend::None) return std::make_unique<CountingEventStore>(bus, symbols, strategy_ids);
  return std::make_unique<SqliteEventStore>(results_dir + "/" + config.filename, bus, symbols,
                                            strategy_ids, std::move(times), config.form);
}

template <class E>
void EventStore::record(const E& e, Timestamp ts, StrategyIndex strategy, SymbolId symbol) {
  if (muted_) return;
  ++counts_[static_cast<int>(E::kType)];
  const std::uint64_t seq = ++seq_;
  if (keeps_nothing()) return;
  constexpr bool trading = std::is_same_v<E, SignalEvent> || std::is_same_v<E, OrderEvent> ||
                           std::is_same_v<E, OrderRejectedEvent> || std::is_same_v<E, OrderUpdateEvent> ||
                           std::is_same_v<E, FillEvent>;
  if constexpr (trading) {
    if (keeps_events()) {
      keep(seq, e);
      return;
    }
  }
  json_.clear();
  event_json::write(json_, e);
  append(seq, E::kType, ts, strategy, symbol, std::string_view(json_.data(), json_.size()));
}

// Subscribed first, so each event is stored before any service reacts to it.
EventStore::EventStore(EventBus& bus, const SymbolTable& symbols,
                       const std::vector<std::string>& strategy_ids)
    : symbols_(symbols), strategy_ids_(strategy_ids) {
  bus.subscribe<BacktestStartEvent>([this](const auto& e) { record(e, e.ts, kNoStrategy, kNoSymbol); });
  bus.subscribe<BarEvent>([this](const BarEvent& e) {
    if (muted_) return;
    ++counts_[static_cast<int>(EventType::Bar)];
    append_bar(++seq_, e.bar);
  });
  bus.subscribe<CorporateActionEvent>([this](const auto& e) { record(e, e.ts, kNoStrategy, e.symbol); });
  bus.subscribe<SignalEvent>([this](const auto& e) { record(e, e.ts, e.strategy, e.symbol); });
  bus.subscribe<OrderEvent>([this](const auto& e) { record(e, e.ts, e.strategy, e.symbol); });
  bus.subscribe<OrderRejectedEvent>([this](const auto& e) { record(e, e.ts, e.strategy, e.symbol); });
  bus.subscribe<OrderUpdateEvent>([this](const auto& e) { record(e, e.ts, e.strategy, e.symbol); });
  bus.subscribe<CancelRequestEvent>([this](const auto& e) { record(e, e.ts, e.strategy, kNoSymbol); });
  bus.subscribe<ModifyOrderEvent>([this](const auto& e) { record(e, e.ts, e.strategy, kNoSymbol); });
  bus.subscribe<RecordEvent>([this](const auto& e) { record(e, e.ts, e.strategy, e.symbol); });
  bus.subscribe<FillEvent>([this](const auto& e) { record(e, e.ts, e.strategy, e.symbol); });
  bus.subscribe<PortfolioStateEvent>([this](const auto& e) { record(e, e.ts, kNoStrategy, kNoSymbol); });
  bus.subscribe<ValuationTriggerEvent>([this](const ValuationTriggerEvent& e) {
    if (muted_) return;
    ++counts_[static_cast<int>(EventType::ValuationTrigger)];
    append(++seq_, EventType::ValuationTrigger, e.ts, kNoStrategy, kNoSymbol, "{}");
  });
  bus.subscribe<RiskEvaluationTriggerEvent>([this](const RiskEvaluationTriggerEvent& e) {
    if (muted_) return;
    ++counts_[static_cast<int>(EventType::RiskEvaluationTrigger)];
    append(++seq_, EventType::RiskEvaluationTrigger, e.ts, kNoStrategy, kNoSymbol, "{}");
  });
  bus.subscribe<BacktestEndEvent>([this](const auto& e) {
    record(e, e.ts, kNoStrategy, kNoSymbol);
    flush();
  });
}

std::string EventStore::snapshot() const {
  nlohmann::json counts = nlohmann::json::array();
  for (const std::uint64_t c : counts_) counts.push_back(c);
  nlohmann::json j{{"seq", seq_}, {"counts", counts}};
  if (const std::string own = backend_snapshot(); !own.empty()) j["bar_refs"] = nlohmann::json::parse(own);
  return j.dump();
}

void EventStore::restore(std::string_view snapshot_json) {
  const auto j = nlohmann::json::parse(snapshot_json);
  seq_ = j.at("seq").get<std::uint64_t>();
  const auto& counts = j.at("counts");
  if (counts.size() != std::size(counts_))
    throw std::runtime_error("checkpoint: the event store's counts are of another qtrader version");
  for (std::size_t i = 0; i < counts.size(); ++i) counts_[i] = counts[i].get<std::uint64_t>();
  truncate_after(seq_);
  restore_backend(j.contains("bar_refs") ? j.at("bar_refs").dump() : std::string());
}

}  // namespace qtrader
