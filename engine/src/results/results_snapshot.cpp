// The results files' part of a checkpoint. The streaming CSVs are not copied
// into it: their length is, and a resumed run cuts the killed run's files
// back to it (rows after the checkpoint go, rows before stay byte for byte).
#include <algorithm>
#include <string>
#include <vector>

#include "qtrader/snapshot_json.hpp"
#include "results/positions_file.hpp"
#include "results/results_writer.hpp"
#include "results/trade_attribution.hpp"

namespace qtrader {

using namespace snapshot_json;

std::string PositionsFile::snapshot() {
  Json positions = Json::array();
  for (const PositionSnapshot& p : positions_)
    positions.push_back({p.symbol, p.quantity, p.avg_price, p.last_price, p.average_cost});
  return Json{{"size", file_.flushed_size()},
              {"have_day", have_day_},
              {"ts", ts_},
              {"equity", equity_},
              {"positions", positions}}
      .dump();
}

void PositionsFile::restore(std::string_view text, const std::string& saved_suffix) {
  const Json j = Json::parse(text);
  file_.restore_from(file_.path() + saved_suffix, j.at("size").get<std::uint64_t>());
  have_day_ = j.at("have_day").get<bool>();
  ts_ = j.at("ts").get<Timestamp>();
  equity_ = number(j.at("equity"));
  positions_.clear();
  for (const Json& p : j.at("positions"))
    positions_.push_back({p[0].get<SymbolId>(), number(p[1]), number(p[2]), number(p[3]), number(p[4])});
}

std::string TradeAttribution::snapshot() const {
  std::vector<std::pair<OrderId, OrderFacts>> orders(orders_.begin(), orders_.end());
  std::sort(orders.begin(), orders.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Json o = Json::array();
  for (const auto& [id, f] : orders)
    o.push_back({id, f.signal_id, code(f.type), f.bracket_exit, f.end_of_data});
  std::vector<std::pair<std::uint64_t, std::string>> tags(tags_.begin(), tags_.end());
  std::sort(tags.begin(), tags.end());
  Json t = Json::array();
  for (const auto& [id, tag] : tags) t.push_back({id, tag});
  return Json{{"orders", o}, {"tags", t}}.dump();
}

void TradeAttribution::restore(std::string_view text) {
  const Json j = Json::parse(text);
  orders_.clear();
  for (const Json& o : j.at("orders"))
    orders_[o[0].get<OrderId>()] =
        OrderFacts{o[1].get<std::uint64_t>(), enum_of<OrderType>(o[2]), o[3].get<bool>(), o[4].get<bool>()};
  tags_.clear();
  for (const Json& t : j.at("tags")) tags_[t[0].get<std::uint64_t>()] = t[1].get<std::string>();
}

}  // namespace qtrader
