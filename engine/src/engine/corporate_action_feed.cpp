#include "engine/corporate_action_feed.hpp"

#include <stdexcept>

#include "qtrader/snapshot_json.hpp"

namespace qtrader {

CorporateActionFeed::CorporateActionFeed(EventBus& bus, const CorporateActions& actions,
                                         std::size_t symbol_count)
    : bus_(bus), actions_(actions), next_(symbol_count, 0) {
  if (!actions_.empty()) bus_.subscribe<BarEvent>([this](const BarEvent& e) { on_bar(e); });
}

void CorporateActionFeed::on_bar(const BarEvent& e) {
  const SymbolId s = e.bar.symbol;
  if (s >= next_.size()) return;
  for (const auto& a : due_actions(actions_.of(s), next_[s], e.bar.ts))
    bus_.publish(CorporateActionEvent{e.bar.ts, s, a.type == CorporateAction::Type::Dividend, a.value, a.date});
}

}  // namespace qtrader

namespace qtrader {

std::string CorporateActionFeed::snapshot() const { return snapshot_json::Json(next_).dump(); }

void CorporateActionFeed::restore(std::string_view text) {
  auto next = snapshot_json::Json::parse(text).get<std::vector<std::size_t>>();
  if (next.size() != next_.size()) throw std::runtime_error("checkpoint: the corporate actions are of other symbols");
  next_ = std::move(next);
}

}  // namespace qtrader
