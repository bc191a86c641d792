#include "venue_book.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace qtrader::fix_venue {

namespace {

bool is_buy(const VenueOrder& o) { return o.side == '1'; }

// The price a limit order fills at on `bar`, if it does.
std::optional<double> limit_fill(const VenueOrder& o, const VenueBar& bar) {
  if (is_buy(o)) {
    if (bar.o <= o.price) return bar.o;
    if (bar.l <= o.price) return o.price;
  } else {
    if (bar.o >= o.price) return bar.o;
    if (bar.h >= o.price) return o.price;
  }
  return std::nullopt;
}

// The price at which a stop triggers on `bar`, if it does.
std::optional<double> stop_trigger(const VenueOrder& o, const VenueBar& bar) {
  if (is_buy(o)) {
    if (bar.o >= o.stop) return bar.o;
    if (bar.h >= o.stop) return o.stop;
  } else {
    if (bar.o <= o.stop) return bar.o;
    if (bar.l <= o.stop) return o.stop;
  }
  return std::nullopt;
}

std::optional<double> fill_price(VenueOrder& o, const VenueBar& bar) {
  switch (o.type) {
    case '1': return bar.o;
    case '2': return limit_fill(o, bar);
    case '3': return stop_trigger(o, bar);
    case '4': {
      if (o.triggered) return limit_fill(o, bar);
      const auto trigger = stop_trigger(o, bar);
      if (!trigger) return std::nullopt;
      o.triggered = true;
      const bool within = is_buy(o) ? *trigger <= o.price : *trigger >= o.price;
      return within ? trigger : std::nullopt;
    }
    default: return std::nullopt;
  }
}

void apply_fill(VenuePosition& p, double signed_qty, double price) {
  const double q = p.quantity + signed_qty;
  if (p.quantity == 0 || (p.quantity > 0) == (signed_qty > 0)) {
    p.average_price = (p.average_price * std::abs(p.quantity) + price * std::abs(signed_qty)) / std::abs(q);
  } else if (q != 0 && (q > 0) != (p.quantity > 0)) {
    p.average_price = price;  // flipped through zero
  }
  p.quantity = q;
  if (q == 0) p.average_price = 0;
}

}  // namespace

VenueOrder* VenueBook::find_by_client_id(const std::string& client_order_id) {
  for (auto& [id, o] : orders)
    if (o.client_order_id == client_order_id || (!o.current_id.empty() && o.current_id == client_order_id)) return &o;
  return nullptr;
}

std::vector<const VenueOrder*> VenueBook::working(const std::string& account) const {
  std::vector<const VenueOrder*> out;
  for (const auto& [id, o] : orders)
    if (o.working() && o.account == account) out.push_back(&o);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) {
    return std::stoi(a->order_id.substr(1)) < std::stoi(b->order_id.substr(1));
  });
  return out;
}

std::vector<BookEvent> VenueBook::apply_bar(const VenueMarket& market, std::size_t index, double max_fill) {
  std::vector<VenueOrder*> live;
  for (auto& [id, o] : orders)
    if (o.working() && o.first_bar <= index) live.push_back(&o);
  std::sort(live.begin(), live.end(), [](auto* a, auto* b) {
    return std::stoi(a->order_id.substr(1)) < std::stoi(b->order_id.substr(1));
  });
  std::vector<BookEvent> events;
  const std::string& date = market.dates[index];
  for (VenueOrder* o : live) {
    const VenueBar* bar = market.bar(o->symbol, date);
    if (bar == nullptr) continue;  // no bar of its symbol on this date
    // A GTD order expires on the first bar opening at or after its expiry (a
    // bar opens at 00:00 UTC of its date).
    // To the second: "YYYYMMDD-HH:MM:SS".
    if (o->tif == '6' &&
        date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2) + "-00:00:00" >= o->expire_time.substr(0, 17)) {
      o->status = 'C';
      events.push_back({BookEvent::Kind::Expired, o->order_id});
      continue;
    }
    const double leaves = o->leaves();
    const double cap = max_fill > 0 ? std::min(max_fill, leaves) : leaves;
    const auto price = o->tif == '4' && cap < leaves ? std::nullopt : fill_price(*o, *bar);
    if (price) {
      o->cumulative += cap;
      o->notional += cap * *price;
      ++o->fills;
      o->status = o->cumulative >= o->quantity ? '2' : '1';
      o->fill_quantity = cap;
      o->fill_price = *price;
      o->fill_date = date;
      apply_fill(positions[o->account][o->symbol], is_buy(*o) ? cap : -cap, *price);
      events.push_back({BookEvent::Kind::Filled, o->order_id});
    }
    // Day, IOC and FOK orders live for their first bar only.
    if (o->working() && o->tif != '1' && o->tif != '6') {
      o->status = 'C';
      events.push_back({BookEvent::Kind::Expired, o->order_id});
    }
  }
  return events;
}

void VenueBook::save(const std::string& path) const {
  nlohmann::json j;
  j["next_bar"] = next_bar;
  j["last_order_number"] = last_order_number;
  j["started"] = started;
  for (const auto& [id, o] : orders) {
    j["orders"].push_back({{"order_id", o.order_id}, {"client_order_id", o.client_order_id},
                           {"client", o.client}, {"account", o.account}, {"symbol", o.symbol},
                           {"current_id", o.current_id}, {"expire_time", o.expire_time}, {"replaces", o.replaces}, {"side", std::string(1, o.side)},
                           {"quantity", o.quantity}, {"type", std::string(1, o.type)}, {"price", o.price},
                           {"stop", o.stop}, {"tif", std::string(1, o.tif)}, {"first_bar", o.first_bar},
                           {"status", std::string(1, o.status)}, {"triggered", o.triggered},
                           {"cumulative", o.cumulative}, {"notional", o.notional}, {"fills", o.fills},
                           {"fill_quantity", o.fill_quantity}, {"fill_price", o.fill_price},
                           {"fill_date", o.fill_date}});
  }
  for (const auto& [client, by_symbol] : positions)
    for (const auto& [symbol, p] : by_symbol)
      j["positions"][client][symbol] = {{"quantity", p.quantity}, {"average_price", p.average_price}};
  for (const auto& [client, symbols] : subscriptions) j["subscriptions"][client] = symbols;
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::trunc);
    out << j.dump(1) << '\n';
    if (!out) throw std::runtime_error(partial + ": cannot write");
  }
  std::filesystem::rename(partial, path);
}

VenueBook VenueBook::load(const std::string& path) {
  VenueBook book;
  std::ifstream in(path);
  if (!in) return book;
  const auto j = nlohmann::json::parse(in);
  book.next_bar = j.at("next_bar").get<std::size_t>();
  book.last_order_number = j.at("last_order_number").get<int>();
  book.started = j.at("started").get<bool>();
  for (const auto& e : j.value("orders", nlohmann::json::array())) {
    VenueOrder o;
    o.order_id = e.at("order_id");
    o.client_order_id = e.at("client_order_id");
    o.client = e.at("client");
    o.account = e.value("account", o.client);
    o.current_id = e.value("current_id", "");
    o.expire_time = e.value("expire_time", "");
    o.replaces = e.value("replaces", 0);
    o.symbol = e.at("symbol");
    o.side = e.at("side").get<std::string>()[0];
    o.quantity = e.at("quantity");
    o.type = e.at("type").get<std::string>()[0];
    o.price = e.at("price");
    o.stop = e.at("stop");
    o.tif = e.at("tif").get<std::string>()[0];
    o.first_bar = e.at("first_bar");
    o.status = e.at("status").get<std::string>()[0];
    o.triggered = e.at("triggered");
    o.cumulative = e.value("cumulative", 0.0);
    o.notional = e.value("notional", 0.0);
    o.fills = e.value("fills", 0);
    o.fill_quantity = e.value("fill_quantity", 0.0);
    o.fill_price = e.at("fill_price");
    o.fill_date = e.at("fill_date");
    book.orders.emplace(o.order_id, o);
  }
  if (j.contains("positions"))
    for (const auto& [client, by_symbol] : j["positions"].items())
      for (const auto& [symbol, p] : by_symbol.items())
        book.positions[client][symbol] = {p.at("quantity"), p.at("average_price")};
  if (j.contains("subscriptions"))
    for (const auto& [client, symbols] : j["subscriptions"].items())
      book.subscriptions[client] = symbols.get<std::set<std::string>>();
  return book;
}

}  // namespace qtrader::fix_venue
