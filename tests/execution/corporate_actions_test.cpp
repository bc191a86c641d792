// Corporate actions: the CSV reader, and a real split and a real dividend from
// the sample data (derivations in tests/fixtures/execution/corporate_actions.csv
// and docs/execution.md), checked by hand.
#include <cmath>
#include <filesystem>
#include <fstream>

#include "exec_harness.hpp"
#include "qtrader/data.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"
#include "temp_dir.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {
const std::string kFixtures = std::string(QTRADER_FIXTURES_DIR) + "/execution/";

Timestamp on(const char* d) { return *parse_date(d); }  // not `date`: that is also date-tz's namespace

DataSourceConfig yahoo_source(const std::string& folder) {
  DataSourceConfig src;
  src.name = "test";
  src.path = folder;
  src.columns.adj_close = 5;
  src.columns.volume = 6;
  return src;
}

// Runs bars of one file through the harness, calling `on_close(bar)` after
// each bar's valuation (where a strategy would act).
template <class F>
void replay(Harness& h, const std::string& file, Timestamp from, Timestamp to, F on_close) {
  const auto src = yahoo_source(std::filesystem::path(file).parent_path().string());
  auto stream = open_csv_stream(src, file, 0, from, to);
  Bar b;
  while (stream->next(b)) {
    h.publish(b);
    h.bus.publish(ValuationTriggerEvent{b.ts});
    on_close(b);
  }
}
}  // namespace

TEST_CASE("corporate actions file: rows by symbol and date", "[execution][actions]") {
  SymbolTable symbols;
  symbols.intern("ORCL");
  symbols.intern("NVDA");
  CorporateActions actions(2);
  read_corporate_actions(kFixtures + "corporate_actions.csv", symbols, actions);
  REQUIRE(actions.of(0).size() == 1);
  CHECK(actions.of(0)[0].type == CorporateAction::Type::Dividend);
  CHECK(actions.of(0)[0].value == 0.05);
  CHECK(actions.of(0)[0].date == on("2009-04-06"));
  REQUIRE(actions.of(1).size() == 2);
  CHECK(actions.of(1)[0].type == CorporateAction::Type::Split);
  CHECK(actions.of(1)[0].value == 1.5);
  CHECK(actions.of(1)[1].date == on("2012-11-20"));
}

TEST_CASE("corporate actions file: errors name the file and line", "[execution][actions]") {
  const qtrader::test::TempDir tmp("bad-actions");
  const auto path = (tmp / "actions.csv").string();
  SymbolTable symbols;
  symbols.intern("X");
  auto error_of = [&](const std::string& text) {
    std::ofstream(path) << text;
    CorporateActions a(1);
    try {
      read_corporate_actions(path, symbols, a);
    } catch (const DataError& e) {
      CHECK(e.file() == path);
      return std::to_string(e.line()) + ": " + e.reason();
    }
    return std::string("no error");
  };
  CHECK(error_of("sym,date,type,value\n") == "1: expected the header 'symbol,date,type,value'");
  CHECK(error_of("symbol,date,type,value\nX,2009-04-06,merger,1\n") ==
        "2: unknown type 'merger' (expected split or dividend)");
  CHECK(error_of("symbol,date,type,value\n\nX,2009-13-06,split,2\n") ==
        "3: bad date '2009-13-06' (YYYY-MM-DD)");
  CHECK(error_of("symbol,date,type,value\nX,2009-04-06,split,0\n") == "2: a split ratio must be > 0");
  CHECK(error_of("symbol,date,type,value\nX,2009-04-06,dividend,nan\n") == "2: bad value 'nan'");
  CHECK(error_of("symbol,date,type,value\nX,2009-04-06,dividend\n") ==
        "2: expected 4 cells (symbol,date,type,value), got 3");
  std::filesystem::remove(path);
}

TEST_CASE("NVDA's 3-for-2 split of 2007-09-11 on raw prices", "[execution][actions]") {
  SymbolTable symbols;
  symbols.intern("NVDA");
  CorporateActions actions(1);
  read_corporate_actions(kFixtures + "corporate_actions.csv", symbols, actions);
  Harness h(100000.0, Harness::zero_commission(), {}, 1, &actions);
  OrderId limit = 0;
  double equity_before_split = 0.0;
  replay(h, kFixtures + "NVDA_raw_2007.csv", on("2007-08-27"), on("2007-09-21"),
         [&](const Bar& b) {
           if (b.ts == on("2007-09-05")) h.submit_at(b.ts, {.quantity = 100});
           if (b.ts == on("2007-09-07"))
             limit = h.submit_at(b.ts, {.side = Side::Sell, .quantity = 100, .type = OrderType::Limit,
                                  .limit = 60});
           if (b.ts == on("2007-09-10")) equity_before_split = h.portfolio.equity();
           if (b.ts != on("2007-09-11")) return;
           // 150 shares at 52.99 / 1.5; equity moves only with the price.
           CHECK(h.portfolio.position(0) == 150);
           CHECK(h.portfolio.open_positions()[0].avg_price == Approx(52.99 / 1.5).epsilon(1e-15));
           CHECK(h.portfolio.equity() == Approx(94701.0 + 150 * 34.58).epsilon(1e-15));
           CHECK(h.portfolio.unrealized_pnl() == Approx(150 * 34.58 - 5299.0).epsilon(1e-12));
           REQUIRE(h.exec.find(limit));
           CHECK(h.exec.find(limit)->order.quantity == 150);
           CHECK(h.exec.find(limit)->order.spec.limit_price == 40.0);
         });
  // Bought 100 at the 2007-09-06 open, 52.99; marked at 50.79 on 2007-09-10.
  REQUIRE(h.fills.size() == 1);
  CHECK(h.fills[0].price == 52.99);
  CHECK(h.fills[0].ts == on("2007-09-06"));
  CHECK(equity_before_split == 100000.0 - 5299.0 + 100 * 50.79);
  REQUIRE(h.portfolio.ledger().size() == 1);
  CHECK(h.portfolio.ledger()[0].kind == LedgerEntry::Kind::Split);
}

TEST_CASE("ORCL's first dividend, 0.05 on 2009-04-06, paid to longs by shorts",
          "[execution][actions]") {
  SymbolTable symbols;
  symbols.intern("ORCL");
  CorporateActions actions(1);
  read_corporate_actions(kFixtures + "corporate_actions.csv", symbols, actions);
  Harness h(100000.0, Harness::zero_commission(), {}, 1, &actions);
  double cash_before = 0.0, prev_close = 0.0, prev_factor = 0.0, implied = 0.0;
  replay(h, std::string(QTRADER_SOURCE_DIR) + "/data/sample/ORCL.csv", on("2009-03-25"),
         on("2009-04-10"), [&](const Bar& b) {
           if (b.ts == on("2009-03-30")) {
             h.submit_at(b.ts, {.quantity = 100, .strategy = 0});
             h.submit_at(b.ts, {.side = Side::Sell, .quantity = 50, .strategy = 1});
           }
           if (b.ts == on("2009-04-03")) cash_before = h.portfolio.cash();
           if (b.ts == on("2009-04-06"))  // the data's own adjustment implies the dividend
             implied = prev_close * (1.0 - prev_factor / (b.adj_close / b.close));
           prev_close = b.close;
           prev_factor = b.adj_close / b.close;
         });
  CHECK(implied == Approx(0.05).margin(5e-6));  // Yahoo's 6 decimals
  REQUIRE(h.portfolio.ledger().size() == 2);
  CHECK(h.portfolio.ledger()[0].ts == on("2009-04-06"));
  CHECK(h.portfolio.ledger()[0].amount == 5.0);    // 100 * 0.05 to the long
  CHECK(h.portfolio.ledger()[1].amount == -2.5);   // 50 * 0.05 from the short
  CHECK(h.portfolio.cash() == cash_before + 2.5);
  CHECK(h.portfolio.attribution(0).dividends == 5.0);
  CHECK(h.portfolio.attribution(1).dividends == -2.5);
}
