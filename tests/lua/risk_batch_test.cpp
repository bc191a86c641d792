// A risk policy's evaluate_batch (docs/lua-api.md "Risk policies"): the
// signals as columns of one reused table, the answers in batch.size and
// batch.reject, and the answers that fail the run.
#include <catch2/catch.hpp>

#include <fstream>

#include "expect_error.hpp"
#include "lua_test_doubles.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/lua/risk_script.hpp"
#include "qtrader/lua/script_host.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

std::string write_policy(const TempDir& dir, const std::string& name, const std::string& code) {
  const std::string path = (dir / (name + ".lua")).string();
  std::ofstream(path) << "local P = { name = \"" << name << "\", kind = \"risk_policy\" }\n" << code << "\nreturn P\n";
  return path;
}

std::vector<RiskSignal> two_signals() {
  RiskSignal a{7, "s1", 0, Intention::OpenLong, 10.5, kNaN, 9.0, kNaN, "dip", OrderSpec{}};
  RiskSignal b{8, "s2", 1, Intention::CloseLong, kNaN, 0.5, kNaN, kNaN, "", OrderSpec{}};
  b.quantity = 30;
  return {a, b};
}

const RiskPortfolio kPortfolio{1000, 2000, 300, -100};

}  // namespace

TEST_CASE("risk batch: columns hold the signals, answers come from size and reject", "[lua][risk]") {
  TempDir dir("batch");
  ScriptHost host;
  TestRiskContext ctx;
  RiskScript script(host, write_policy(dir, "cols", R"(
function P.evaluate_batch(ctx, batch, portfolio)
  for i = 1, batch.n do
    ctx:log("info", string.format("%d %d %s %d %s %s %s %s %s %s %s %s %s", i, batch.id[i], batch.strategy_id[i],
      batch.symbol[i], batch.symbol_name[i], batch.intention[i], tostring(batch.price[i]),
      tostring(batch.confidence[i]), tostring(batch.stop_loss[i]), tostring(batch.quantity[i]),
      tostring(batch.tag[i]), batch.order_type[i], tostring(batch.limit_price[i])))
  end
  ctx:log("info", string.format("%g %g %g %g", portfolio.cash, portfolio.equity, portfolio.gross_exposure,
    portfolio.net_exposure))
  batch.size[1] = 12
  batch.reject[2] = "no"
end)"),
                    ctx, {});
  std::vector<RiskDecision> out;
  script.evaluate(two_signals(), kPortfolio, out);
  REQUIRE(out.size() == 2);
  CHECK(out[0].signal_id == 7);
  CHECK(out[0].quantity == 12);
  CHECK_FALSE(out[0].rejected);
  CHECK(out[1].signal_id == 8);
  CHECK(out[1].rejected);
  CHECK(out[1].reason == "no");
  REQUIRE(ctx.logs.size() == 3);
  CHECK(ctx.logs[0].second.substr(ctx.logs[0].second.find(": ") + 2) ==
        "1 7 s1 0 AAA open_long 10.5 nil 9 nil dip market nil");
  CHECK(ctx.logs[1].second.substr(ctx.logs[1].second.find(": ") + 2) ==
        "2 8 s2 1 BBB close_long nil 0.5 nil 30 nil market nil");
  CHECK(ctx.logs[2].second.substr(ctx.logs[2].second.find(": ") + 2) == "1000 2000 300 -100");

}

TEST_CASE("risk batch: answers are emptied between batches and replaced arrays are put back", "[lua][risk]") {
  TempDir dir("batch");
  ScriptHost host;
  TestRiskContext ctx;
  RiskScript script(host, write_policy(dir, "once", R"(
local calls, kept = 0
function P.evaluate_batch(ctx, batch)
  calls = calls + 1
  if calls == 1 then
    batch.size[1] = 5
    kept = batch
    batch.size = { [2] = 9 }  -- the policy's own table: read for this batch
  else
    ctx:log("info", string.format("%s %s %d", tostring(batch.size[1]), tostring(batch.size[2]), kept.n))
  end
end)"),
                    ctx, {});
  std::vector<RiskDecision> out;
  script.evaluate(two_signals(), kPortfolio, out);
  REQUIRE(out.size() == 1);
  CHECK(out[0].signal_id == 8);
  CHECK(out[0].quantity == 9);
  out.clear();
  script.evaluate(two_signals(), kPortfolio, out);
  CHECK(out.empty());
  REQUIRE(ctx.logs.size() == 1);
  CHECK(ctx.logs[0].second.substr(ctx.logs[0].second.find(": ") + 2) == "nil nil 2");
}

TEST_CASE("risk batch: both answers or a bad one fail the run naming the signal", "[lua][risk]") {
  TempDir dir("batch");
  ScriptHost host;
  TestRiskContext ctx;
  const auto error_of = [&](const std::string& name, const std::string& body) {
    RiskScript script(host, write_policy(dir, name, "function P.evaluate_batch(ctx, batch)\n" + body + "\nend"),
                      ctx, {});
    std::vector<RiskDecision> out;
    const auto e = expect_error<ScriptError>([&] { script.evaluate(two_signals(), kPortfolio, out); });
    CHECK(out.empty());
    return std::string(e.what());
  };
  CHECK_THAT(error_of("both", "batch.size[1] = 1 batch.reject[1] = 'x'"),
             Catch::Contains("signal 7 (batch row 1): give either size or reject"));
  CHECK_THAT(error_of("zero", "batch.size[2] = 0"),
             Catch::Contains("signal 8 (batch row 2): size must be a finite number > 0, got 0"));
  CHECK_THAT(error_of("empty_reason", "batch.reject[1] = ''"),
             Catch::Contains("signal 7 (batch row 1): reject must be a non-empty reason"));
  CHECK_THAT(error_of("gone", "batch.size = 5"), Catch::Contains("batch.size and batch.reject must stay tables"));
  CHECK_THAT(error_of("field", "local x = batch.sizes"), Catch::Contains("batch has no field sizes (fields: n, id, strategy_id,"));
}
