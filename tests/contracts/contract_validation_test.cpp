// Every event a multi-strategy run stores, exported by `qtrader events`, is a
// valid instance of its contract (contracts/), checked by a real validator:
// Debian's python3-jsonschema. The run (tests/fixtures/contracts) has three
// strategies, every order type and time in force, brackets, a cancel,
// rejections by risk and by execution, a split and two dividends.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "file_text.hpp"
#include "run_backtest.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

namespace {

const std::string kFixtures = std::string(QTRADER_FIXTURES_DIR) + "/contracts";
const std::string kQtrader = QTRADER_BINARY;
const std::string kValidate = std::string(QTRADER_PYTHON) + " " + QTRADER_SOURCE_DIR +
                              "/tests/contracts/validate_events.py " + QTRADER_CONTRACTS_DIR;

std::string run_multi_strategy(const qtrader::test::TempDir& dir) {
  return qtrader::test::run_backtest(kFixtures + "/system.yaml", kFixtures + "/multi_strategy.yaml",
                                     (dir / "runs").string())
      .results_dir;
}

std::vector<nlohmann::json> lines_of(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace

TEST_CASE("the contracts are draft 2020-12 schemas with every data field described and closed",
          "[contracts]") {
  const auto r = qtrader::test::run_shell(kValidate + " schemas 2>&1");
  INFO(r.out);
  CHECK(r.status == 0);
  CHECK(r.out == "16 schemas\n");
}

TEST_CASE("each contract's example is valid and its invalid instance is refused", "[contracts]") {
  const auto good = qtrader::test::run_shell(kValidate + " examples 2>&1");
  INFO(good.out);
  CHECK(good.status == 0);
  CHECK(good.out == "15 examples\n");
  const auto bad = qtrader::test::run_shell(kValidate + " invalid " + kFixtures + "/invalid 2>&1");
  INFO(bad.out);
  CHECK(bad.status == 0);
  CHECK(bad.out ==
                    "data/bar.v1.json: data: additionalProperties\n"
                    "data/corporate_action.v1.json: data/action: enum\n"
                    "engine/backtest_end.v1.json: occurred_at: pattern\n"
                    "engine/backtest_start.v1.json: data/initial_equity: type\n"
                    "engine/risk_evaluation_trigger.v1.json: correlation_id: type\n"
                    "engine/valuation_trigger.v1.json: data: additionalProperties\n"
                    "envelope/uppercase_event_id.json: event_id: pattern\n"
                    "execution/fill.v1.json: data/price: type\n"
                    "execution/order_update.v1.json: data/status: enum\n"
                    "portfolio/portfolio_state.v1.json: data/open_positions: type\n"
                    "risk/order.v1.json: data/quantity: exclusiveMinimum\n"
                    "risk/order_rejected.v1.json: data/reason: minLength\n"
                    "strategy/cancel_request.v1.json: data/order_id: minimum\n"
                    "strategy/modify_order.v1.json: data/quantity: exclusiveMinimum\n"
                    "strategy/record.v1.json: data: required\n"
                    "strategy/signal.v1.json: data/intention: enum\n"
                    "16 invalid instances refused\n");
}

TEST_CASE("every event of a multi-strategy run validates against its contract", "[contracts][run]") {
  const qtrader::test::TempDir dir("contracts");
  const std::string run = run_multi_strategy(dir);
  const std::string jsonl = (dir / "events.jsonl").string();
  REQUIRE(qtrader::test::run_shell(kQtrader + " events " + run + " > " + jsonl).status == 0);
  const auto r = qtrader::test::run_shell(kValidate + " events " + jsonl + " 2>&1");
  INFO(r.out);
  CHECK(r.status == 0);
  // Every type the contracts describe, bars decoded from their chunks.
  CHECK(r.out ==
                "backtest_end 1\n"
                "backtest_start 1\n"
                "bar 4530\n"
                "cancel_request 84\n"
                "corporate_action 3\n"
                "fill 483\n"
                "order 695\n"
                "order_rejected 136\n"
                "order_update 1384\n"
                "portfolio_state 1510\n"
                "record 472\n"
                "risk_evaluation_trigger 1510\n"
                "signal 701\n"
                "valuation_trigger 1510\n");
}

TEST_CASE("fills, orders and updates chain back to their signal", "[contracts][run]") {
  const qtrader::test::TempDir dir("contracts-chain");
  const std::string run = run_multi_strategy(dir);
  const auto r = qtrader::test::run_shell(kQtrader + " events " + run + " --type signal,order,order_update,fill,order_rejected,cancel_request");
  REQUIRE(r.status == 0);
  std::map<std::string, nlohmann::json> by_id;
  std::map<std::uint64_t, std::string> signal_event, order_event;
  std::size_t fills = 0, bracket_exits = 0, cancels = 0, one_cancels_other = 0;
  for (const auto& e : lines_of(r.out)) {
    by_id[e["event_id"]] = e;
    const auto& d = e["data"];
    const std::string type = e["type"];
    INFO(e.dump());
    if (type == "signal") {
      CHECK(e["correlation_id"] == e["event_id"]);
      CHECK(e["causation_id"].is_null());
      signal_event[d["signal_id"]] = e["event_id"];
    } else if (type == "order") {
      order_event[d["order_id"]] = e["event_id"];
      if (d["signal_id"] != 0) CHECK(e["correlation_id"] == signal_event.at(d["signal_id"]));
      if (d.contains("parent_id")) {
        // A bracket's exit: caused by its entry's fill, made by execution.
        ++bracket_exits;
        const auto& cause = by_id.at(e["causation_id"]);
        CHECK(cause["type"] == "fill");
        CHECK(cause["data"]["order_id"] == d["parent_id"]);
        CHECK(e["source_service"] == "execution");
      } else if (d["signal_id"] != 0) {
        CHECK(e["causation_id"] == signal_event.at(d["signal_id"]));
        CHECK(e["source_service"] == "risk");
      }
    } else if (type == "fill") {
      ++fills;
      CHECK(e["causation_id"] == order_event.at(d["order_id"]));
      if (d["signal_id"] != 0) CHECK(e["correlation_id"] == signal_event.at(d["signal_id"]));
    } else if (type == "order_update") {
      const auto& cause = by_id.at(e["causation_id"]);
      const std::string status = d["status"];
      if (status == "cancelled" && cause["type"] == "fill") {
        // One-cancels-other: the other exit of the same bracket filled.
        ++one_cancels_other;
        CHECK(cause["data"]["order_id"] != d["order_id"]);
        CHECK(by_id.at(order_event.at(cause["data"]["order_id"]))["data"]["parent_id"] ==
              by_id.at(order_event.at(d["order_id"]))["data"]["parent_id"]);
      } else {
        CHECK(cause["data"]["order_id"] == d["order_id"]);
      }
      if (status == "filled" || status == "partially_filled") CHECK(cause["type"] == "fill");
      if (status == "accepted" || status == "expired") CHECK(cause["type"] == "order");
      if (status == "cancelled" && cause["type"] == "cancel_request") ++cancels;
      CHECK(e["correlation_id"] == by_id.at(order_event.at(d["order_id"]))["correlation_id"]);
    }
  }
  CHECK(fills == 483);
  CHECK(bracket_exits == 88);
  CHECK(cancels == 42);
  CHECK(one_cancels_other == 40);
}

TEST_CASE("a rerun of the same inputs exports byte-identical events", "[contracts][run]") {
  const qtrader::test::TempDir a("contracts-a"), b("contracts-b");
  const auto first = qtrader::test::run_shell(kQtrader + " events " + run_multi_strategy(a) + " --format csv");
  const auto second = qtrader::test::run_shell(kQtrader + " events " + run_multi_strategy(b) + " --format csv");
  REQUIRE(first.status == 0);
  CHECK(first.out.size() == 3092636);
  CHECK(first.out == second.out);
  CHECK(first.out.substr(0, first.out.find('\n')) ==
        "seq,event_id,occurred_at,type,schema,source_service,correlation_id,causation_id,symbol,strategy_id,data");
}
