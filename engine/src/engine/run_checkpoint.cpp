// The order of a checkpoint: which service's snapshot goes under which name,
// and the order a resumed run restores them in. What each holds is the
// service's own (its snapshot()/restore() pair; docs/checkpoints.md).
#include <string>

#include "engine/run_services.hpp"
#include "qtrader/snapshot_json.hpp"

namespace qtrader {

using snapshot_json::Json;

std::string RunRecord::snapshot() const {
  return Json{{"store", Json::parse(store_->snapshot())}, {"monitor", Json::parse(monitor_.snapshot())}}
      .dump();
}

void RunRecord::restore(std::string_view text) {
  const Json j = Json::parse(text);
  store_->restore(j.at("store").dump());
  monitor_.restore(j.at("monitor").dump());
  store_->set_muted(false);
}

std::string RunServices::snapshot() {
  Json j{{"results", Json::parse(writer_.snapshot())},
         {"coverage", Json::parse(coverage_.snapshot())},
         {"corporate_actions", Json::parse(action_feed_.snapshot())},
         {"portfolio", Json::parse(portfolio_.snapshot())},
         {"risk", Json::parse(risk_.snapshot())},
         {"strategies", Json::parse(strategies_.snapshot())}};
  if (execution_) j["execution"] = Json::parse(execution_->snapshot());
  return j.dump();
}

void RunServices::restore(std::string_view text, const std::string& saved_suffix) {
  const Json j = Json::parse(text);
  writer_.restore(j.at("results").dump(), saved_suffix);
  coverage_.restore(j.at("coverage").dump());
  action_feed_.restore(j.at("corporate_actions").dump());
  portfolio_.restore(j.at("portfolio").dump());
  if (execution_) execution_->restore(j.at("execution").dump());
  strategies_.restore(j.at("strategies").dump());
  risk_.restore(j.at("risk").dump());  // its policy's on_resume may read the strategies' bar history
}

void RunServices::prepare_resume(std::string_view text) {
  strategies_.prepare_resume(Json::parse(text).at("strategies").dump());
}

// The embargo windows of model signals close on the bars alone, as the
// indicators advance on them: both learn the skipped part again.
void RunServices::catch_up(const std::vector<Bar>& slice) {
  for (const Bar& bar : slice) {
    signals_.note_bar(bar.symbol, bar.ts);
    strategies_.catch_up(bar);
  }
}

}  // namespace qtrader
