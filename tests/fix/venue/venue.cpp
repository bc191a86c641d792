#include "venue.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "fix/fix_dictionary.hpp"

namespace qtrader::fix_venue {

namespace {

namespace fs = std::filesystem;

std::string field(const FIX::FieldMap& m, int tag) { return m.isSetField(tag) ? m.getField(tag) : std::string(); }
void put(FIX::FieldMap& m, int tag, const std::string& value) { m.setField(FIX::FieldBase(tag, value)); }
std::string number(double v) { return fmt::format("{}", v); }

// "2009-03-20" -> "20090320"
std::string fix_date_of(const std::string& date) { return date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2); }

std::ofstream open_log(const std::string& path, const char* header) {
  const bool fresh = !fs::exists(path);
  std::ofstream out(path, std::ios::app);
  if (!out) throw std::runtime_error(path + ": cannot write");
  if (fresh) out << header << '\n' << std::flush;
  return out;
}

}  // namespace

Venue::Venue(VenueOptions options) : options_(std::move(options)) {
  for (const auto& [symbol, path] : options_.data) load_bars(market_, symbol, path);
  fs::create_directories(options_.store);
  book_ = VenueBook::load(options_.store + "/book.json");
  order_log_ = open_log(options_.store + "/orders.csv",
                        "client_order_id,symbol,side,quantity,type,price,stop_price,time_in_force,venue_time");
  fill_log_ = open_log(options_.store + "/fills.csv", "exec_id,client_order_id,symbol,side,quantity,price,date");
}

void Venue::save() { book_.save(options_.store + "/book.json"); }

std::string Venue::account_of(const FIX::Message& m, const FIX::SessionID& id) {
  const std::string account = field(m, FIX::FIELD::Account);
  return account.empty() ? id.getTargetCompID().getValue() : account;
}

FIX::SessionID Venue::session_of(const std::string& client) const {
  return FIX::SessionID(FIX::BeginString_FIX44, options_.sender, client);
}

std::string Venue::now_text() const {
  const std::size_t i = std::min(book_.next_bar, market_.dates.size() - 1);
  return fix_date_of(market_.dates.at(i)) + "-00:00:00.000";
}

void Venue::send(FIX::Message& m, const FIX::SessionID& id) {
  try {
    FIX::Session::sendToTarget(m, id);
  } catch (const FIX::SessionNotFound&) {
    std::cerr << "qtrader_fix_venue: no session " << id.toString() << '\n';
  }
}

void Venue::run(const volatile bool& stopping) {
  FIX::SessionSettings settings;
  FIX::Dictionary d;
  d.setString(FIX::CONNECTION_TYPE, "acceptor");
  d.setInt(FIX::SOCKET_ACCEPT_PORT, options_.port);
  d.setString(FIX::SOCKET_REUSE_ADDRESS, "Y");
  d.setString(FIX::SOCKET_NODELAY, "Y");
  d.setString(FIX::START_TIME, "00:00:00");
  d.setString(FIX::END_TIME, "00:00:00");
  d.setString(FIX::FILE_STORE_PATH, options_.store + "/fix");
  d.setString(FIX::RESET_ON_LOGON, "N");
  d.setString(FIX::RESET_ON_LOGOUT, "N");
  d.setString(FIX::RESET_ON_DISCONNECT, "N");
  d.setString(FIX::USE_DATA_DICTIONARY, "N");
  settings.set(d);  // the acceptor reads its socket settings from the defaults
  for (const auto& client : options_.clients) settings.set(session_of(client), d);
  FIX::FileStoreFactory store(settings);
  FIX::FileLogFactory log(options_.store + "/log");
  FIX::SocketAcceptor acceptor(*this, store, settings, log);
  for (const auto& client : options_.clients) fix::attach_fix44_dictionary(session_of(client));
  acceptor.poll(0.0);  // the first poll opens the listening socket
  std::cout << "qtrader_fix_venue: listening on port " << options_.port << std::endl;

  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::milliseconds(options_.interval_ms);
  auto next_tick = Clock::now() + interval;
  while (!stopping) {
    const auto now = Clock::now();
    if (!book_.started || book_.next_bar >= market_.dates.size() || (logged_on_ == 0 && !options_.free_clock)) {
      next_tick = now + interval;
    } else if (now >= next_tick) {
      tick();
      next_tick = now + interval;
    }
    // QuickFIX's poll does not wait (its timeout is ignored): a short sleep
    // keeps the loop from spinning, at most a millisecond late.
    acceptor.poll(0.0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  acceptor.stop(true);
}

void Venue::onLogout(const FIX::SessionID&) { --logged_on_; }

void Venue::onLogon(const FIX::SessionID& id) {
  ++logged_on_;
  std::cerr << "qtrader_fix_venue: " << id.getTargetCompID().getValue() << " logged on\n";
  if (options_.clock_on_logon && !book_.started) {
    book_.started = true;
    save();
  }
}

void Venue::fromApp(const FIX::Message& m, const FIX::SessionID& id) {
  const std::string type = field(m.getHeader(), FIX::FIELD::MsgType);
  if (type == FIX::MsgType_NewOrderSingle) return on_new_order(m, id);
  if (type == FIX::MsgType_OrderCancelRequest) return on_cancel(m, id);
  if (type == FIX::MsgType_OrderCancelReplaceRequest) return on_replace(m, id);
  if (type == FIX::MsgType_OrderMassStatusRequest) return on_mass_status(m, id);
  if (type == FIX::MsgType_OrderStatusRequest) return on_order_status(m, id);
  if (type == FIX::MsgType_RequestForPositions) return on_positions(m, id);
  if (type == FIX::MsgType_MarketDataRequest) return on_subscribe(m, id);
  throw FIX::UnsupportedMessageType();
}

FIX44::ExecutionReport Venue::report(const VenueOrder& o, char exec_type, const std::string& exec_id) const {
  FIX44::ExecutionReport r;
  r.set(FIX::OrderID(o.order_id));
  r.set(FIX::ClOrdID(o.clordid()));
  r.set(FIX::ExecID(exec_id));
  r.set(FIX::ExecType(exec_type));
  r.set(FIX::OrdStatus(o.status));
  r.set(FIX::Symbol(o.symbol));
  r.set(FIX::Side(o.side));
  put(r, FIX::FIELD::OrderQty, number(o.quantity));
  r.set(FIX::OrdType(o.type));
  if (o.type == '2' || o.type == '4') put(r, FIX::FIELD::Price, number(o.price));
  if (o.type == '3' || o.type == '4') put(r, FIX::FIELD::StopPx, number(o.stop));
  r.set(FIX::TimeInForce(o.tif));
  if (o.tif == '6') put(r, FIX::FIELD::ExpireTime, o.expire_time);
  if (exec_type == FIX::ExecType_TRADE) {
    put(r, FIX::FIELD::LastQty, number(o.fill_quantity));
    put(r, FIX::FIELD::LastPx, number(o.fill_price));
  }
  put(r, FIX::FIELD::LeavesQty, number(o.leaves()));
  put(r, FIX::FIELD::CumQty, number(o.cumulative));
  put(r, FIX::FIELD::AvgPx, number(o.cumulative > 0 ? o.notional / o.cumulative : 0));
  put(r, FIX::FIELD::TransactTime,
      exec_type == FIX::ExecType_TRADE ? fix_date_of(o.fill_date) + "-00:00:00.000" : now_text());
  return r;
}

void Venue::reject_order(const FIX::Message& m, const FIX::SessionID& id, const std::string& text) {
  FIX44::ExecutionReport r;
  const std::string clordid = field(m, FIX::FIELD::ClOrdID);
  r.set(FIX::OrderID("NONE"));
  r.set(FIX::ClOrdID(clordid));
  r.set(FIX::ExecID("rejected-" + clordid));
  r.set(FIX::ExecType(FIX::ExecType_REJECTED));
  r.set(FIX::OrdStatus(FIX::OrdStatus_REJECTED));
  r.set(FIX::OrdRejReason(FIX::OrdRejReason_BROKER_OPTION));
  r.set(FIX::Symbol(field(m, FIX::FIELD::Symbol)));
  put(r, FIX::FIELD::Side, field(m, FIX::FIELD::Side));
  put(r, FIX::FIELD::OrderQty, field(m, FIX::FIELD::OrderQty));
  put(r, FIX::FIELD::LeavesQty, "0");
  put(r, FIX::FIELD::CumQty, "0");
  put(r, FIX::FIELD::AvgPx, "0");
  r.set(FIX::Text(text));
  put(r, FIX::FIELD::TransactTime, now_text());
  send(r, id);
}

void Venue::on_new_order(const FIX::Message& m, const FIX::SessionID& id) {
  const std::string clordid = field(m, FIX::FIELD::ClOrdID);
  const bool resent = field(m.getHeader(), FIX::FIELD::PossDupFlag) == "Y";
  if (book_.find_by_client_id(clordid)) {
    if (!resent) reject_order(m, id, "duplicate ClOrdID " + clordid);
    return;
  }
  order_log_ << clordid << ',' << field(m, FIX::FIELD::Symbol) << ',' << field(m, FIX::FIELD::Side) << ','
             << field(m, FIX::FIELD::OrderQty) << ',' << field(m, FIX::FIELD::OrdType) << ','
             << field(m, FIX::FIELD::Price) << ',' << field(m, FIX::FIELD::StopPx) << ','
             << field(m, FIX::FIELD::TimeInForce) << ',' << now_text() << std::endl;
  VenueOrder o;
  o.client_order_id = clordid;
  o.client = id.getTargetCompID().getValue();
  o.account = account_of(m, id);
  o.symbol = field(m, FIX::FIELD::Symbol);
  if (!market_.has_symbol(o.symbol)) return reject_order(m, id, "unknown symbol " + o.symbol);
  o.side = field(m, FIX::FIELD::Side).at(0);
  if (o.side != '1' && o.side != '2') return reject_order(m, id, "only buy (1) and sell (2) orders");
  o.quantity = std::stod(field(m, FIX::FIELD::OrderQty));
  if (!(o.quantity > 0)) return reject_order(m, id, "quantity must be > 0");
  o.type = field(m, FIX::FIELD::OrdType).at(0);
  if (o.type < '1' || o.type > '4') return reject_order(m, id, "order types: market, limit, stop, stop limit");
  if (o.type == '2' || o.type == '4') {
    if (field(m, FIX::FIELD::Price).empty()) return reject_order(m, id, "a limit order needs Price (44)");
    o.price = std::stod(field(m, FIX::FIELD::Price));
  }
  if (o.type == '3' || o.type == '4') {
    if (field(m, FIX::FIELD::StopPx).empty()) return reject_order(m, id, "a stop order needs StopPx (99)");
    o.stop = std::stod(field(m, FIX::FIELD::StopPx));
  }
  const std::string tif = field(m, FIX::FIELD::TimeInForce);
  o.tif = tif.empty() ? '0' : tif[0];
  if (o.tif != '0' && o.tif != '1' && o.tif != '3' && o.tif != '4' && o.tif != '6')
    return reject_order(m, id, "time in force: day, gtc, ioc, fok, gtd");
  if (o.tif == '6') {
    o.expire_time = field(m, FIX::FIELD::ExpireTime);
    if (o.expire_time.empty()) return reject_order(m, id, "a gtd order needs ExpireTime (126)");
  }
  if (book_.next_bar >= market_.dates.size()) return reject_order(m, id, "the market has closed: no more bars");
  o.order_id = "V" + std::to_string(++book_.last_order_number);
  o.first_bar = book_.next_bar;
  book_.orders[o.order_id] = o;
  save();
  auto r = report(o, FIX::ExecType_NEW, o.order_id + "-new");
  send(r, id);
}

void Venue::on_cancel(const FIX::Message& m, const FIX::SessionID& id) {
  const std::string orig = field(m, FIX::FIELD::OrigClOrdID);
  VenueOrder* o = book_.find_by_client_id(orig);
  if (o == nullptr || o->client != id.getTargetCompID().getValue() || !o->working())
    return cancel_reject(m, id, o, FIX::CxlRejResponseTo_ORDER_CANCEL_REQUEST,
                         o ? "too late to cancel: the order is no longer working" : "unknown order " + orig);
  o->status = '4';
  save();
  auto r = report(*o, FIX::ExecType_CANCELED, o->order_id + "-cancelled");
  r.set(FIX::ClOrdID(field(m, FIX::FIELD::ClOrdID)));
  r.set(FIX::OrigClOrdID(orig));
  send(r, id);
}

void Venue::cancel_reject(const FIX::Message& m, const FIX::SessionID& id, const VenueOrder* o, char response_to,
                          const std::string& text) {
  FIX44::OrderCancelReject r;
  r.set(FIX::OrderID(o ? o->order_id : "NONE"));
  r.set(FIX::ClOrdID(field(m, FIX::FIELD::ClOrdID)));
  r.set(FIX::OrigClOrdID(field(m, FIX::FIELD::OrigClOrdID)));
  r.set(FIX::OrdStatus(o ? o->status : FIX::OrdStatus_REJECTED));
  r.set(FIX::CxlRejResponseTo(response_to));
  r.set(FIX::CxlRejReason(o ? FIX::CxlRejReason_TOO_LATE_TO_CANCEL : FIX::CxlRejReason_UNKNOWN_ORDER));
  r.set(FIX::Text(text));
  send(r, id);
}

// 35=G: a working limit, stop or stop-limit order takes the request's
// quantity and prices and goes by the request's ClOrdID from then on.
void Venue::on_replace(const FIX::Message& m, const FIX::SessionID& id) {
  const std::string orig = field(m, FIX::FIELD::OrigClOrdID);
  VenueOrder* o = book_.find_by_client_id(orig);
  const char to = FIX::CxlRejResponseTo_ORDER_CANCEL_REPLACE_REQUEST;
  if (o == nullptr || o->client != id.getTargetCompID().getValue())
    return cancel_reject(m, id, nullptr, to, "unknown order " + orig);
  if (!o->working()) return cancel_reject(m, id, o, to, "too late to replace: the order is no longer working");
  if (o->type == '1') return cancel_reject(m, id, o, to, "only limit, stop and stop limit orders are replaced");
  const double quantity = std::stod(field(m, FIX::FIELD::OrderQty));
  if (!(quantity > o->cumulative))
    return cancel_reject(m, id, o, to, "the new quantity must be more than the " + number(o->cumulative) + " filled");
  o->quantity = quantity;
  if (!field(m, FIX::FIELD::Price).empty()) o->price = std::stod(field(m, FIX::FIELD::Price));
  if (!field(m, FIX::FIELD::StopPx).empty()) o->stop = std::stod(field(m, FIX::FIELD::StopPx));
  if (!field(m, FIX::FIELD::ExpireTime).empty()) o->expire_time = field(m, FIX::FIELD::ExpireTime);
  o->current_id = field(m, FIX::FIELD::ClOrdID);
  ++o->replaces;
  save();
  auto r = report(*o, FIX::ExecType_REPLACED, o->order_id + "-replaced-" + std::to_string(o->replaces));
  r.set(FIX::OrigClOrdID(orig));
  send(r, id);
}

void Venue::on_mass_status(const FIX::Message& m, const FIX::SessionID& id) {
  const std::string request = field(m, FIX::FIELD::MassStatusReqID);
  const auto working = book_.working(account_of(m, id));
  if (working.empty()) {  // the dialect's empty answer (docs/fix.md)
    FIX44::ExecutionReport r;
    r.set(FIX::OrderID("NONE"));
    r.set(FIX::ExecID(request + "-none"));
    r.set(FIX::ExecType(FIX::ExecType_ORDER_STATUS));
    r.set(FIX::OrdStatus(FIX::OrdStatus_REJECTED));
    r.set(FIX::Symbol("[N/A]"));
    r.set(FIX::Side(FIX::Side_BUY));
    put(r, FIX::FIELD::LeavesQty, "0");
    put(r, FIX::FIELD::CumQty, "0");
    put(r, FIX::FIELD::AvgPx, "0");
    r.set(FIX::MassStatusReqID(request));
    r.set(FIX::TotNumReports(0));
    r.set(FIX::LastRptRequested(true));
    return send(r, id);
  }
  for (std::size_t i = 0; i < working.size(); ++i) {
    auto r = report(*working[i], FIX::ExecType_ORDER_STATUS, request + "-" + std::to_string(i + 1));
    r.set(FIX::MassStatusReqID(request));
    r.set(FIX::TotNumReports(static_cast<int>(working.size())));
    r.set(FIX::LastRptRequested(i + 1 == working.size()));
    send(r, id);
  }
}

void Venue::on_order_status(const FIX::Message& m, const FIX::SessionID& id) {
  const std::string request = field(m, FIX::FIELD::OrdStatusReqID);
  const std::string clordid = field(m, FIX::FIELD::ClOrdID);
  const VenueOrder* o = book_.find_by_client_id(clordid);
  if (o != nullptr && o->account == account_of(m, id)) {
    auto r = report(*o, FIX::ExecType_ORDER_STATUS, request);
    r.set(FIX::OrdStatusReqID(request));
    return send(r, id);
  }
  FIX44::ExecutionReport r;  // an order this account never sent: OrdStatus 8, OrdRejReason 5
  r.set(FIX::OrderID("NONE"));
  r.set(FIX::ClOrdID(clordid));
  r.set(FIX::ExecID(request));
  r.set(FIX::ExecType(FIX::ExecType_ORDER_STATUS));
  r.set(FIX::OrdStatus(FIX::OrdStatus_REJECTED));
  r.set(FIX::OrdRejReason(FIX::OrdRejReason_UNKNOWN_ORDER));
  r.set(FIX::Symbol(field(m, FIX::FIELD::Symbol)));
  put(r, FIX::FIELD::Side, field(m, FIX::FIELD::Side));
  put(r, FIX::FIELD::LeavesQty, "0");
  put(r, FIX::FIELD::CumQty, "0");
  put(r, FIX::FIELD::AvgPx, "0");
  r.set(FIX::OrdStatusReqID(request));
  r.set(FIX::Text("unknown order " + clordid));
  send(r, id);
}

void Venue::on_positions(const FIX::Message& m, const FIX::SessionID& id) {
  const std::string request = field(m, FIX::FIELD::PosReqID);
  std::vector<std::pair<std::string, VenuePosition>> open;
  for (const auto& [symbol, p] : book_.positions[account_of(m, id)])
    if (p.quantity != 0) open.emplace_back(symbol, p);
  FIX44::RequestForPositionsAck ack;
  ack.set(FIX::PosMaintRptID(request + "-ack"));
  ack.set(FIX::PosReqID(request));
  ack.set(FIX::TotalNumPosReports(static_cast<int>(open.size())));
  ack.set(FIX::PosReqResult(open.empty() ? FIX::PosReqResult_NO_POSITIONS_FOUND_THAT_MATCH_CRITERIA
                                         : FIX::PosReqResult_VALID_REQUEST));
  ack.set(FIX::PosReqStatus(FIX::PosReqStatus_COMPLETED));
  put(ack, FIX::FIELD::Account, field(m, FIX::FIELD::Account));
  put(ack, FIX::FIELD::AccountType, field(m, FIX::FIELD::AccountType));
  send(ack, id);
  for (std::size_t i = 0; i < open.size(); ++i) {
    const auto& [symbol, p] = open[i];
    FIX44::PositionReport r;
    r.set(FIX::PosMaintRptID(request + "-" + std::to_string(i + 1)));
    r.set(FIX::PosReqID(request));
    r.set(FIX::TotalNumPosReports(static_cast<int>(open.size())));
    r.set(FIX::PosReqResult(FIX::PosReqResult_VALID_REQUEST));
    put(r, FIX::FIELD::ClearingBusinessDate, now_text().substr(0, 8));
    put(r, FIX::FIELD::Account, field(m, FIX::FIELD::Account));
    put(r, FIX::FIELD::AccountType, field(m, FIX::FIELD::AccountType));
    r.set(FIX::Symbol(symbol));
    put(r, FIX::FIELD::SettlPrice, number(p.average_price));
    r.set(FIX::SettlPriceType(FIX::SettlPriceType_THEORETICAL));
    put(r, FIX::FIELD::PriorSettlPrice, number(p.average_price));
    FIX44::PositionReport::NoPositions qty;
    qty.set(FIX::PosType(FIX::PosType_TRANSACTION_QUANTITY));
    put(qty, p.quantity > 0 ? FIX::FIELD::LongQty : FIX::FIELD::ShortQty, number(std::abs(p.quantity)));
    r.addGroup(qty);
    send(r, id);
  }
}

void Venue::on_subscribe(const FIX::Message& m, const FIX::SessionID& id) {
  const std::string request = field(m, FIX::FIELD::MDReqID);
  std::set<std::string> symbols;
  FIX44::MarketDataRequest::NoRelatedSym related;
  for (unsigned i = 1; i <= m.groupCount(FIX::FIELD::NoRelatedSym); ++i) {
    m.getGroup(i, related);
    const std::string symbol = field(related, FIX::FIELD::Symbol);
    if (!market_.has_symbol(symbol)) {
      FIX44::MarketDataRequestReject r;
      r.set(FIX::MDReqID(request));
      r.set(FIX::MDReqRejReason(FIX::MDReqRejReason_UNKNOWN_SYMBOL));
      r.set(FIX::Text("unknown symbol " + symbol));
      return send(r, id);
    }
    symbols.insert(symbol);
  }
  book_.subscriptions[id.getTargetCompID().getValue()] = symbols;
  book_.started = true;
  save();
  for (const auto& symbol : symbols) {
    // The snapshot: the symbol's last published bar, if any.
    for (std::size_t i = book_.next_bar; i-- > 0;) {
      const VenueBar* bar = market_.bar(symbol, market_.dates[i]);
      if (bar == nullptr) continue;
      FIX44::MarketDataSnapshotFullRefresh w;
      w.set(FIX::MDReqID(request));
      w.set(FIX::Symbol(symbol));
      for (const auto& [type, value] : {std::pair{'4', bar->open}, std::pair{'7', bar->high},
                                        std::pair{'8', bar->low}, std::pair{'5', bar->close},
                                        std::pair{'B', bar->volume}}) {
        FIX44::MarketDataSnapshotFullRefresh::NoMDEntries e;
        e.set(FIX::MDEntryType(type));
        put(e, type == 'B' ? FIX::FIELD::MDEntrySize : FIX::FIELD::MDEntryPx, value);
        put(e, FIX::FIELD::MDEntryDate, fix_date_of(bar->date));
        put(e, FIX::FIELD::MDEntryTime, "00:00:00");
        w.addGroup(e);
      }
      send(w, id);
      break;
    }
    if (book_.next_bar >= market_.dates.size()) end_of_data(id, symbol);
  }
}

void Venue::end_of_data(const FIX::SessionID& id, const std::string& symbol) {
  FIX44::SecurityStatus s;
  s.set(FIX::Symbol(symbol));
  s.set(FIX::SecurityTradingStatus(FIX::SecurityTradingStatus_NOT_AVAILABLE_FOR_TRADING));
  s.set(FIX::Text("end of data"));
  send(s, id);
}

void Venue::tick() {
  const std::size_t index = book_.next_bar;
  const std::string& date = market_.dates[index];
  // Orders first: a fill at this bar's open precedes the bar itself.
  for (const auto& event : book_.apply_bar(market_, index, options_.max_fill)) {
    const VenueOrder& o = book_.orders.at(event.order_id);
    const bool filled = event.kind == BookEvent::Kind::Filled;
    // An order filled whole at once: "<id>-fill"; in parts: "<id>-fill-<n>".
    const bool whole = o.fills == 1 && o.fill_quantity == o.quantity;
    const std::string exec_id =
        o.order_id + (!filled ? "-expired" : whole ? "-fill" : "-fill-" + std::to_string(o.fills));
    auto r = report(o, filled ? FIX::ExecType_TRADE : FIX::ExecType_EXPIRED, exec_id);
    if (filled && o.status == 'C') {  // the fill of an order whose rest expires on this bar
      put(r, FIX::FIELD::LeavesQty, number(o.quantity - o.cumulative));
      r.set(FIX::OrdStatus(FIX::OrdStatus_PARTIALLY_FILLED));
    }
    if (!filled) put(r, FIX::FIELD::TransactTime, fix_date_of(date) + "-00:00:00.000");
    send(r, session_of(o.client));
    if (filled)
      fill_log_ << exec_id << ',' << o.client_order_id << ',' << o.symbol << ',' << o.side << ','
                << number(o.fill_quantity) << ',' << number(o.fill_price) << ',' << date << std::endl;
  }
  book_.next_bar = index + 1;
  for (const auto& [client, symbols] : book_.subscriptions) {
    const FIX::SessionID id = session_of(client);
    for (const auto& symbol : symbols) {
      const VenueBar* bar = market_.bar(symbol, date);
      if (bar == nullptr) continue;
      FIX44::MarketDataIncrementalRefresh x;
      for (const auto& [type, value] : {std::pair{'4', bar->open}, std::pair{'7', bar->high},
                                        std::pair{'8', bar->low}, std::pair{'5', bar->close},
                                        std::pair{'B', bar->volume}}) {
        FIX44::MarketDataIncrementalRefresh::NoMDEntries e;
        e.set(FIX::MDUpdateAction(FIX::MDUpdateAction_NEW));
        e.set(FIX::MDEntryType(type));
        e.set(FIX::Symbol(symbol));
        put(e, type == 'B' ? FIX::FIELD::MDEntrySize : FIX::FIELD::MDEntryPx, value);
        put(e, FIX::FIELD::MDEntryDate, fix_date_of(bar->date));
        put(e, FIX::FIELD::MDEntryTime, "00:00:00");
        x.addGroup(e);
      }
      send(x, id);
    }
  }
  save();
  if (book_.next_bar >= market_.dates.size())
    for (const auto& [client, symbols] : book_.subscriptions)
      for (const auto& symbol : symbols) end_of_data(session_of(client), symbol);
}

}  // namespace qtrader::fix_venue
