// The FIX 4.4 mapping without a session: orders to NewOrderSingle, reports to
// BrokerExecutions, market data entries to FeedUpdates, and the settings.
#include <fstream>

#include <catch2/catch.hpp>
#include <yaml-cpp/yaml.h>

#include "fix/fix_market_data.hpp"
#include "fix/fix_order_mapping.hpp"
#include "fix/fix_session_config.hpp"
#include "fix/fix_time.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::fix;

namespace {

std::string text(const FIX::FieldMap& m, int tag) { return m.isSetField(tag) ? m.getField(tag) : "<absent>"; }

}  // namespace

TEST_CASE("A stop-limit IOC order becomes a FIX NewOrderSingle with its prices", "[fix]") {
  live::BrokerOrder o;
  o.client_order_id = "s1-000007";
  o.symbol = "ORCL";
  o.side = Side::Sell;
  o.quantity = 250;
  o.type = OrderType::StopLimit;
  o.limit_price = 18.7;
  o.stop_price = 18.6;
  o.tif = TimeInForce::IOC;
  const auto m = new_order_single(o, "ACC1", *parse_timestamp("2009-03-20 14:30:00") + 125'000'000);
  CHECK(text(m.getHeader(), FIX::FIELD::MsgType) == "D");
  CHECK(text(m, FIX::FIELD::ClOrdID) == "s1-000007");
  CHECK(text(m, FIX::FIELD::Account) == "ACC1");
  CHECK(text(m, FIX::FIELD::Symbol) == "ORCL");
  CHECK(text(m, FIX::FIELD::Side) == "2");
  CHECK(text(m, FIX::FIELD::OrderQty) == "250");
  CHECK(text(m, FIX::FIELD::OrdType) == "4");
  CHECK(text(m, FIX::FIELD::Price) == "18.7");
  CHECK(text(m, FIX::FIELD::StopPx) == "18.6");
  CHECK(text(m, FIX::FIELD::TimeInForce) == "3");
  CHECK(text(m, FIX::FIELD::TransactTime) == "20090320-14:30:00.125");

  o.type = OrderType::Market;
  o.tif = TimeInForce::Day;
  const auto market = new_order_single(o, "", 0);
  CHECK(text(market, FIX::FIELD::Price) == "<absent>");
  CHECK(text(market, FIX::FIELD::StopPx) == "<absent>");
  CHECK(text(market, FIX::FIELD::Account) == "<absent>");
  CHECK(text(market, FIX::FIELD::TimeInForce) == "0");

  o.type = OrderType::Limit;
  o.limit_price = kNaN;
  CHECK_THROWS_WITH(new_order_single(o, "", 0), "order s1-000007: a limit order needs a limit price > 0");
  o.limit_price = 1;
  o.tif = TimeInForce::GTD;
  CHECK_THROWS_WITH(new_order_single(o, "", 0), "order s1-000007: a gtd order needs its expiry");
  o.expire_at = *parse_date("2009-04-01");
  const auto gtd = new_order_single(o, "", 0);
  CHECK(text(gtd, FIX::FIELD::TimeInForce) == "6");
  CHECK(text(gtd, FIX::FIELD::ExpireTime) == "20090401-00:00:00.000");
}

TEST_CASE("A replace of a limit order becomes a FIX OrderCancelReplaceRequest naming its latest ClOrdID", "[fix]") {
  live::BrokerOrder o;
  o.client_order_id = "s1-7:replace:40";  // the order after one replace
  o.symbol = "ORCL";
  o.side = Side::Sell;
  o.quantity = 100;
  o.type = OrderType::Limit;
  o.limit_price = 20;
  o.tif = TimeInForce::GTC;
  live::BrokerReplace change;
  change.quantity = 60;
  change.limit_price = 19.5;
  const auto m = order_cancel_replace_request(o, change, "s1-7:replace:52", "ACC1", *parse_date("2009-03-20"));
  CHECK(text(m.getHeader(), FIX::FIELD::MsgType) == "G");
  CHECK(text(m, FIX::FIELD::OrigClOrdID) == "s1-7:replace:40");
  CHECK(text(m, FIX::FIELD::ClOrdID) == "s1-7:replace:52");
  CHECK(text(m, FIX::FIELD::Account) == "ACC1");
  CHECK(text(m, FIX::FIELD::Side) == "2");
  CHECK(text(m, FIX::FIELD::OrderQty) == "60");
  CHECK(text(m, FIX::FIELD::OrdType) == "2");
  CHECK(text(m, FIX::FIELD::Price) == "19.5");
  CHECK(text(m, FIX::FIELD::StopPx) == "<absent>");
  CHECK(text(m, FIX::FIELD::TimeInForce) == "1");
  CHECK(order_of("s1-7:replace:52") == "s1-7");
  CHECK(order_of("s1-7:cancel:9") == "s1-7");
  CHECK(order_of("s1-7") == "s1-7");
  o.type = OrderType::Market;
  CHECK_THROWS_WITH(order_cancel_replace_request(o, change, "x", "", 0),
                    "order s1-7: only limit, stop and stop-limit orders are replaced");
}

TEST_CASE("FIX execution reports map to executions by ExecType and LeavesQty", "[fix]") {
  FIX44::ExecutionReport r;
  r.set(FIX::OrderID("V9"));
  r.set(FIX::ClOrdID("c1"));
  r.set(FIX::ExecID("V9-3"));
  r.set(FIX::ExecType(FIX::ExecType_TRADE));
  r.set(FIX::OrdStatus(FIX::OrdStatus_PARTIALLY_FILLED));
  r.set(FIX::Symbol("ORCL"));
  r.set(FIX::Side(FIX::Side_SELL));
  r.setField(FIX::FieldBase(FIX::FIELD::OrderQty, "100"));
  r.setField(FIX::FieldBase(FIX::FIELD::LastQty, "40"));
  r.setField(FIX::FieldBase(FIX::FIELD::LastPx, "17.709999"));
  r.setField(FIX::FieldBase(FIX::FIELD::CumQty, "40"));
  r.setField(FIX::FieldBase(FIX::FIELD::LeavesQty, "60"));
  r.setField(FIX::FieldBase(FIX::FIELD::TransactTime, "20090320-00:00:00"));
  auto e = execution_from_report(r);
  CHECK(e.kind == live::ExecutionKind::PartialFill);
  CHECK(e.client_order_id == "c1");
  CHECK(e.broker_order_id == "V9");
  CHECK(e.exec_id == "V9-3");
  CHECK(e.side == Side::Sell);
  CHECK(e.last_quantity == 40);
  CHECK(e.last_price == 17.709999);
  CHECK(e.cumulative_quantity == 40);
  CHECK(e.leaves_quantity == 60);
  CHECK(e.transact_time == *parse_date("2009-03-20"));

  r.setField(FIX::FieldBase(FIX::FIELD::LeavesQty, "0"));
  CHECK(execution_from_report(r).kind == live::ExecutionKind::Fill);
  // A cancel names the order by OrigClOrdID; it carries no fill.
  r.set(FIX::ExecType(FIX::ExecType_CANCELED));
  r.set(FIX::ClOrdID("c1:cancel:12"));
  r.set(FIX::OrigClOrdID("c1"));
  e = execution_from_report(r);
  CHECK(e.kind == live::ExecutionKind::Cancelled);
  CHECK(e.client_order_id == "c1");
  CHECK(e.last_quantity == 0);
  CHECK(std::isnan(e.last_price));
  for (const auto& [type, kind] : {std::pair{'0', live::ExecutionKind::New}, std::pair{'8', live::ExecutionKind::Rejected},
                                   std::pair{'C', live::ExecutionKind::Expired}, std::pair{'I', live::ExecutionKind::Status},
                                   std::pair{'6', live::ExecutionKind::Status},
                                   std::pair{'5', live::ExecutionKind::Replaced}}) {
    r.set(FIX::ExecType(type));
    CHECK(execution_from_report(r).kind == kind);
  }

  FIX44::OrderCancelReject reject;
  reject.set(FIX::OrderID("V9"));
  reject.set(FIX::ClOrdID("c1:cancel:12"));
  reject.set(FIX::OrigClOrdID("c1"));
  reject.set(FIX::OrdStatus(FIX::OrdStatus_FILLED));
  reject.set(FIX::CxlRejResponseTo(FIX::CxlRejResponseTo_ORDER_CANCEL_REQUEST));
  reject.set(FIX::Text("too late"));
  e = execution_from_cancel_reject(reject);
  CHECK(e.kind == live::ExecutionKind::CancelRejected);
  CHECK(e.client_order_id == "c1");
  CHECK(e.exec_id == "cancel-reject:c1:cancel:12");
  CHECK(e.text == "cancel rejected: too late");
  CHECK(e.state == live::BrokerOrderState::Filled);
  reject.set(FIX::ClOrdID("c1:replace:13"));
  reject.set(FIX::OrigClOrdID("c1:replace:11"));
  reject.set(FIX::CxlRejResponseTo(FIX::CxlRejResponseTo_ORDER_CANCEL_REPLACE_REQUEST));
  e = execution_from_cancel_reject(reject);
  CHECK(e.client_order_id == "c1");
  CHECK(e.text == "replace rejected: too late");
}

TEST_CASE("FIX incremental refresh entries become bars and trades", "[fix]") {
  FIX44::MarketDataIncrementalRefresh x;
  const auto entry = [&](char type, int tag, const char* value, const char* symbol, const char* time) {
    FIX44::MarketDataIncrementalRefresh::NoMDEntries e;
    e.set(FIX::MDUpdateAction(FIX::MDUpdateAction_NEW));
    e.set(FIX::MDEntryType(type));
    e.set(FIX::Symbol(symbol));
    e.setField(FIX::FieldBase(tag, value));
    e.setField(FIX::FieldBase(FIX::FIELD::MDEntryDate, "20090323"));
    e.setField(FIX::FieldBase(FIX::FIELD::MDEntryTime, time));
    x.addGroup(e);
  };
  entry('2', FIX::FIELD::MDEntryPx, "17.31", "ORCL", "14:30:01.250");
  entry('4', FIX::FIELD::MDEntryPx, "17.340000", "ORCL", "00:00:00");
  entry('7', FIX::FIELD::MDEntryPx, "18.250000", "ORCL", "00:00:00");
  entry('8', FIX::FIELD::MDEntryPx, "17.260000", "ORCL", "00:00:00");
  entry('5', FIX::FIELD::MDEntryPx, "18.250000", "ORCL", "00:00:00");
  entry('B', FIX::FIELD::MDEntrySize, "46048300", "ORCL", "00:00:00");
  entry('4', FIX::FIELD::MDEntryPx, "1", "NVDA", "00:00:00");  // a bar without its other entries
  const auto updates = updates_from_incremental(x);
  REQUIRE(updates.size() == 2);
  CHECK(updates[0].kind == live::FeedUpdate::Kind::Trade);
  CHECK(updates[0].ts == *parse_timestamp("2009-03-23 14:30:01") + 250'000'000);
  CHECK(updates[0].price == 17.31);
  CHECK(std::isnan(updates[0].size));
  CHECK(updates[1].kind == live::FeedUpdate::Kind::Bar);
  CHECK(updates[1].symbol == "ORCL");
  CHECK(updates[1].ts == *parse_date("2009-03-23"));
  CHECK(updates[1].open == 17.34);
  CHECK(updates[1].high == 18.25);
  CHECK(updates[1].low == 17.26);
  CHECK(updates[1].close == 18.25);
  CHECK(updates[1].volume == 46048300);
}

TEST_CASE("FIX session settings are read from YAML with errors naming the key", "[fix]") {
  qtrader::test::TempDir dir("fix-config");
  const auto read = [&](const std::string& yaml) {
    const std::string file = (dir / "live.yaml").string();
    std::ofstream(file) << yaml;
    const YAML::Node root = YAML::LoadFile(file);
    return read_fix_session_config(root["live"]["broker"], file, "live.broker");
  };
  const auto c = read(
      "live:\n  broker:\n    kind: fix\n    port: 9878\n    sender_comp_id: QTRADER\n"
      "    target_comp_id: VENUE\n    heartbeat: 5\n    store: state/fix\n");
  CHECK(c.host == "127.0.0.1");
  CHECK(c.port == 9878);
  CHECK(c.heartbeat_seconds == 5);
  CHECK(c.reconnect_seconds == 5);
  CHECK(c.store_dir == (dir / "state/fix").string());
  const std::string file = (dir / "live.yaml").string();
  CHECK_THROWS_WITH(read("live:\n  broker:\n    kind: fix\n    port: 70000\n"),
                    file + ":4: key 'live.broker.port': expected a TCP port (1-65535), got 70000");
  CHECK_THROWS_WITH(read("live:\n  broker:\n    kind: fix\n    port: 9878\n    sender_comp_id: QTRADER\n"),
                    file + ":3: key 'live.broker.target_comp_id': missing required key 'target_comp_id'");
  CHECK_THROWS_WITH(read("live:\n  broker:\n    kind: fix\n    prot: 9878\n"),
                    Catch::StartsWith(file + ":4: key 'live.broker.prot'"));
  CHECK_THROWS_WITH(read("live:\n  broker:\n    kind: fix\n    port: 1\n    sender_comp_id: A B\n"),
                    file + ":5: key 'live.broker.sender_comp_id': expected a CompID (printable ASCII, no spaces or '='), got 'A B'");
}

TEST_CASE("FIX times read back to the nanosecond they were written from", "[fix]") {
  const Timestamp t = *parse_timestamp("2024-03-08 14:30:05") + 123'000'000;
  CHECK(fix_timestamp(t) == "20240308-14:30:05.123");
  CHECK(parse_fix_timestamp("20240308-14:30:05.123") == t);
  CHECK(parse_fix_timestamp("20240308-14:30:05.123456789") == t + 456789);
  CHECK(parse_fix_date_time("20240308", "14:30:05") == t - 123'000'000);
  CHECK_FALSE(parse_fix_timestamp("20240230-00:00:00").has_value());
  CHECK_FALSE(parse_fix_timestamp("2024-03-08T14:30").has_value());
}
