// The strategy ctx through the engine on real data: value/history without
// look-ahead, warm-up refusals reaching on_order and the event store, the
// order-field checks of emit_signal.
#include <catch2/catch.hpp>

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include "qtrader/errors.hpp"
#include "strategy_run.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

struct Record {
  std::string date, name;
  double value;
};

std::vector<Record> records_of(const RunResult& run) {
  const CsvTable t = read_csv(run.results_dir + "/records.csv");
  std::vector<Record> out;
  for (std::size_t i = 0; i < t.rows.size(); ++i)
    out.push_back({t.at(i, "timestamp"), t.at(i, "name"), std::stod(t.at(i, "value"))});
  return out;
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

TEST_CASE("warm-up: signals of the first N bars are refused with a reason, on_order hears it", "[strategies][warmup]") {
  const RunResult run = run_fixture("warmup.yaml");
  const auto recs = records_of(run);
  std::vector<std::pair<std::string, double>> got;
  // (fills and their "filled" updates are execution's business, tested there)
  for (const auto& r : recs)
    if (r.name != "filled" && (r.name != "warmup" || r.date <= "1995-01-10")) got.emplace_back(r.name, r.value);
  // Bars 1-3 (1995-01-03, 04, 05) are warm-up: each signal comes back rejected
  // right after its on_bar; bars 4 and 5 are accepted after the risk step.
  using P = std::pair<std::string, double>;
  const std::vector<P> head(got.begin(), got.begin() + 16);
  CHECK(head == std::vector<P>{{"warmup", 1}, {"signal", 1}, {"rejected", 1},
                               {"warmup", 1}, {"signal", 2}, {"rejected", 2},
                               {"warmup", 1}, {"signal", 3}, {"rejected", 3},
                               {"warmup", 0}, {"signal", 4}, {"accepted", 4},
                               {"warmup", 0}, {"signal", 5}, {"accepted", 5},
                               {"warmup", 0}});
  CHECK(run.summary.signals == 2);
  CHECK(run.summary.orders == 2);
  CHECK(run.summary.rejections == 3);

  SQLite::Database db(run.results_dir + "/events.sqlite");
  SQLite::Statement q(db, "SELECT time, data FROM events WHERE type = 'order_rejected' ORDER BY seq");
  std::vector<std::string> dates;
  while (q.executeStep()) {
    dates.push_back(q.getColumn(0).getString());
    const auto j = nlohmann::json::parse(q.getColumn(1).getString());
    CHECK(j.at("reason") == "signal refused: emitted during warm-up");
    CHECK(j.at("signal_id").get<int>() == static_cast<int>(dates.size()));
  }
  CHECK(dates == std::vector<std::string>{"1995-01-03", "1995-01-04", "1995-01-05"});
}

TEST_CASE("value and history: the bars up to now, oldest first, other symbols at the same time", "[strategies][history]") {
  const RunResult run = run_fixture("history.yaml");
  const auto orcl = sample_bars("ORCL", "1996-04-01", "1996-06-30");
  const auto yhoo = sample_bars("YHOO", "1996-04-01", "1996-06-30");
  const auto recs = records_of(run);
  REQUIRE(recs.size() == orcl.size() * 7);
  std::size_t y = 0;  // YHOO bars up to the current date
  for (std::size_t i = 0; i < orcl.size(); ++i) {
    const auto& d = orcl[i].date;
    while (y < yhoo.size() && yhoo[y].date <= d) ++y;
    const std::size_t n3 = std::min<std::size_t>(i + 1, 3);
    double sum = 0;
    for (std::size_t k = i + 1 - n3; k <= i; ++k) sum += orcl[k].high;
    const std::vector<std::pair<std::string, double>> want{
        {"close0", orcl[i].close},
        {"close1", i ? orcl[i - 1].close : NAN},
        {"n3", double(n3)},
        {"high3_sum", sum},
        {"high3_oldest", orcl[i + 1 - n3].high},
        {"yhoo_close0", y ? yhoo[y - 1].close : NAN},
        {"n50", double(std::min<std::size_t>(y, 50))}};
    for (std::size_t k = 0; k < want.size(); ++k) {
      const Record& r = recs[i * 7 + k];
      INFO(d << " " << want[k].first);
      CHECK(r.date == d);
      CHECK(r.name == want[k].first);
      CHECK(same(r.value, want[k].second));
    }
  }
}
