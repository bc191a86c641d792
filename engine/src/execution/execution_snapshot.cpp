// ExecutionService::snapshot / restore. Taken between timestamps, when no
// command is queued and no child waits to be placed: the working orders
// (live ones, in arrival order; done ones are never read again) and what
// execution remembers of the market.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "execution/execution_service.hpp"
#include "qtrader/snapshot_json.hpp"

namespace qtrader {

using namespace snapshot_json;

namespace {

Json order_json(const OrderEvent& o) {
  const OrderSpec& p = o.spec;
  return Json::array({o.ts, o.order_id, o.signal_id, o.strategy, o.symbol, code(o.side), o.quantity,
                      code(p.type), p.limit_price, p.stop_price, p.trail_amount, p.trail_percent, code(p.tif),
                      p.expiry, o.parent_id, o.stop_loss, o.take_profit, o.end_of_data});
}

OrderEvent order_of(const Json& j) {
  OrderEvent o{};
  o.ts = j[0].get<Timestamp>();
  o.order_id = j[1].get<OrderId>();
  o.signal_id = j[2].get<std::uint64_t>();
  o.strategy = j[3].get<StrategyIndex>();
  o.symbol = j[4].get<SymbolId>();
  o.side = enum_of<Side>(j[5]);
  o.quantity = number(j[6]);
  o.spec.type = enum_of<OrderType>(j[7]);
  o.spec.limit_price = number(j[8]);
  o.spec.stop_price = number(j[9]);
  o.spec.trail_amount = number(j[10]);
  o.spec.trail_percent = number(j[11]);
  o.spec.tif = enum_of<TimeInForce>(j[12]);
  o.spec.expiry = j[13].get<Timestamp>();
  o.parent_id = j[14].get<OrderId>();
  o.stop_loss = number(j[15]);
  o.take_profit = number(j[16]);
  o.end_of_data = j[17].get<bool>();
  return o;
}

Json bar_json(const Bar& b) {
  return Json::array({b.ts, b.symbol, b.open, b.high, b.low, b.close, b.volume, b.adj_close});
}

Bar bar_of(const Json& j) {
  return Bar{j[0].get<Timestamp>(), j[1].get<SymbolId>(), number(j[2]), number(j[3]),
             number(j[4]),          number(j[5]),         number(j[6]), number(j[7])};
}

}  // namespace

std::string ExecutionService::snapshot() const {
  if (busy_ || !inbox_.empty() || !children_.empty())
    throw std::logic_error("execution: a checkpoint is taken between timestamps only");
  std::vector<const WorkingOrder*> live;
  for (SymbolId s = 0; s < last_bar_.size(); ++s)
    for (const WorkingOrder& w : book_.orders(s))
      if (!w.done) live.push_back(&w);
  std::sort(live.begin(), live.end(), [](const auto* a, const auto* b) { return a->seq < b->seq; });
  Json orders = Json::array();
  for (const WorkingOrder* w : live)
    orders.push_back({order_json(w->order), w->filled, w->commission.filled, w->commission.charged,
                      w->commission.raw, w->triggered, w->trail_ref, w->trail_stop, w->day_end, w->peer,
                      w->stop_child, w->profit_child, w->skip_until});
  Json bars = Json::array();
  for (const Bar& b : last_bar_) bars.push_back(bar_json(b));
  Json impact = Json::array();
  for (const auto& w : impact_.state()) impact.push_back(numbers(w));
  const auto [month_key, month_volume] = commission_.month_state();
  return Json{{"orders", orders},
              {"next_seq", book_.next_seq()},
              {"last_bar", bars},
              {"last_flags", last_flags_},
              {"ended", ended_},
              {"volume_taken", volume_taken_},
              {"next_action", next_action_},
              {"next_child_id", next_child_id_},
              {"next_roll", next_roll_},
              {"liquidations", liquidations_},
              {"now", now_},
              {"month_key", month_key},
              {"month_volume", month_volume},
              {"impact", impact}}
      .dump();
}

void ExecutionService::restore(std::string_view text) {
  const Json j = Json::parse(text);
  const Json& bars = j.at("last_bar");
  if (bars.size() != last_bar_.size())
    throw std::runtime_error("checkpoint: execution's symbols differ from the run's");
  if (book_.live() != 0) throw std::logic_error("execution: restore() into a book that holds orders");
  for (SymbolId s = 0; s < last_bar_.size(); ++s) {
    last_bar_[s] = bar_of(bars[s]);
  }
  // Re-added in arrival order, each symbol's list keeps its order and every
  // index is rebuilt from the orders' own state.
  for (const Json& o : j.at("orders")) {
    WorkingOrder w;
    w.order = order_of(o[0]);
    w.filled = number(o[1]);
    w.commission = OrderCommission{number(o[2]), number(o[3]), number(o[4])};
    w.triggered = o[5].get<bool>();
    w.trail_ref = number(o[6]);
    w.trail_stop = number(o[7]);
    w.day_end = o[8].get<Timestamp>();
    w.peer = o[9].get<OrderId>();
    w.stop_child = o[10].get<OrderId>();
    w.profit_child = o[11].get<OrderId>();
    w.skip_until = o[12].get<Timestamp>();
    book_.add(w);
  }
  book_.set_next_seq(j.at("next_seq").get<std::uint64_t>());
  last_flags_ = j.at("last_flags").get<std::vector<std::uint8_t>>();
  ended_ = j.at("ended").get<std::vector<Timestamp>>();
  volume_taken_ = numbers(j.at("volume_taken"));
  next_action_ = j.at("next_action").get<std::vector<std::size_t>>();
  next_child_id_ = j.at("next_child_id").get<OrderId>();
  // Futures: the rolls already traded, and the margin call's orders still working.
  next_roll_ = j.at("next_roll").get<std::size_t>();
  liquidations_ = j.at("liquidations").get<std::vector<OrderId>>();
  now_ = j.at("now").get<Timestamp>();
  commission_.set_month_state(j.at("month_key").get<int>(), number(j.at("month_volume")));
  std::vector<std::vector<double>> impact;
  for (const Json& w : j.at("impact")) impact.push_back(numbers(w));
  impact_.set_state(impact);
}

}  // namespace qtrader
