// The strategy service's part of a checkpoint. Indicators and consolidated
// streams are not written: they are functions of the bars, and a resumed run
// rebuilds them by catch_up() over the bars up to the checkpoint (the
// indicators a script creates in on_init; docs/checkpoints.md).
#include <stdexcept>
#include <string>

#include "base/flag_scope.hpp"
#include "qtrader/snapshot_json.hpp"
#include "strategy/strategy_service.hpp"

namespace qtrader {

using namespace snapshot_json;

std::string IndicatorCache::snapshot() const {
  Json out = Json::array();
  for (const Asked& a : asked_)
    out.push_back({a.kind, a.symbol, a.field, a.args, a.stream, a.timeframe, a.after});
  return out.dump();
}

void IndicatorCache::prepare(std::string_view text) {
  for (const Json& a : Json::parse(text)) {
    const auto kind = a[0].get<std::string>(), field = a[2].get<std::string>(),
               timeframe = a[5].get<std::string>();
    const auto symbol = a[1].get<SymbolId>();
    const int stream = a[4].get<int>();
    const auto args = a[3].get<std::vector<double>>();
    const std::size_t before = owned_.size();
    preparing_ = true;
    const Indicator* made = get(kind, symbol, field, args, stream, timeframe);
    preparing_ = false;
    if (owned_.size() == before) continue;  // asked for twice (another strategy): one indicator
    asked_.back().after = a[6].get<std::uint64_t>();
    if (asked_.back().after == 0)
      add(const_cast<Indicator*>(made), symbol, stream);
    else
      deferred_.push_back({const_cast<Indicator*>(made), symbol, stream, asked_.back().after});
  }
}

std::string BarHistory::snapshot() const {
  Json rings = Json::array();
  for (const Ring& r : rings_) {
    Json bars = Json::array();
    for (std::size_t i = 0; i < r.count; ++i) {  // oldest first
      const Bar& b = at(r, static_cast<int>(r.count - 1 - i));
      bars.push_back({b.ts, b.open, b.high, b.low, b.close, b.volume, b.adj_close});
    }
    rings.push_back(bars);
  }
  return Json{{"depth", depth_}, {"wanted", wanted_}, {"rings", rings}}.dump();
}

void BarHistory::restore(std::string_view text) {
  const Json j = Json::parse(text);
  const Json& rings = j.at("rings");
  if (rings.size() != rings_.size())
    throw std::runtime_error("checkpoint: the bar history is of other symbols");
  depth_ = j.at("depth").get<int>();
  wanted_ = 0;  // the pushes below keep depth_
  for (SymbolId s = 0; s < rings_.size(); ++s) {
    rings_[s] = Ring{std::vector<Bar>(static_cast<std::size_t>(depth_)), 0, 0};
    for (const Json& b : rings[s])
      push(Bar{b[0].get<Timestamp>(), s, number(b[1]), number(b[2]), number(b[3]), number(b[4]), number(b[5]),
               number(b[6])});
  }
  wanted_ = j.at("wanted").get<int>();
}

std::string StrategyService::snapshot() const {
  Json strategies = Json::array();
  for (const Entry& e : entries_) {
    const auto [left, now] = e.context->own_warmup_state();
    const std::string state = e.runtime->save_state();
    strategies.push_back({{"id", e.context->strategy_id()},
                          {"own_warmup_left", left},
                          {"own_warmup", now},
                          {"last_slice", e.last_slice},
                          {"state", state.empty() ? Json() : Json::parse(state)}});
  }
  return Json{{"slices_seen", slices_seen_},
              {"now", clock_.now},
              {"warmup", clock_.warmup},
              {"next_signal_id", clock_.next_signal_id},
              {"history", Json::parse(history_.snapshot())},
              {"indicators", Json::parse(indicators_.snapshot())},
              {"strategies", strategies}}
      .dump();
}

void StrategyService::prepare_resume(std::string_view text) {
  indicators_.prepare(Json::parse(text).at("indicators").dump());
}

void StrategyService::restore(std::string_view text) {
  const Json j = Json::parse(text);
  const Json& strategies = j.at("strategies");
  if (strategies.size() != entries_.size())
    throw std::runtime_error("checkpoint: the backtest's strategies differ from the checkpoint's");
  slices_seen_ = j.at("slices_seen").get<std::uint64_t>();
  clock_.now = j.at("now").get<Timestamp>();
  clock_.warmup = j.at("warmup").get<bool>();
  clock_.next_signal_id = j.at("next_signal_id").get<std::uint64_t>();
  history_.restore(j.at("history").dump());
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Json& s = strategies[i];
    if (s.at("id").get<std::string>() != entries_[i].context->strategy_id())
      throw std::runtime_error("checkpoint: strategy " + std::to_string(i) + " was '" +
                               s.at("id").get<std::string>() + "', the backtest now says '" +
                               entries_[i].context->strategy_id() + "'");
    entries_[i].context->set_own_warmup_state(s.at("own_warmup_left").get<int>(),
                                              s.at("own_warmup").get<bool>());
    entries_[i].last_slice = s.at("last_slice").get<std::uint64_t>();
  }
  // The scripts last: on_resume may read anything restored above.
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const Json& state = strategies[i].at("state");
    if (state.is_null()) continue;
    {
      FlagScope in_callback(in_callback_);
      entries_[i].runtime->resume(state.dump());
    }
    drain();
  }
}

}  // namespace qtrader
