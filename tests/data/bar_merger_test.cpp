#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "csv_table.hpp"
#include "data_test_support.hpp"

using namespace qtrader;
using namespace qtrader::test;

namespace {

// Bars from memory; counts reads so the tests can see how far ahead the merger looks.
class VectorStream final : public BarStream {
 public:
  VectorStream(SymbolId symbol, std::vector<Timestamp> times, int* reads = nullptr)
      : symbol_(symbol), times_(std::move(times)), reads_(reads) {}
  bool next(Bar& out) override {
    if (reads_) ++*reads_;
    if (pos_ == times_.size()) return false;
    out = Bar{};
    out.ts = times_[pos_];
    out.symbol = symbol_;
    out.close = 100.0 * symbol_ + static_cast<double>(pos_);
    ++pos_;
    return true;
  }

 private:
  SymbolId symbol_;
  std::vector<Timestamp> times_;
  int* reads_;
  std::size_t pos_ = 0;
};

Timestamp d(int n) { return n * kNanosPerDay; }

std::vector<std::vector<Bar>> all_batches(BarMerger& merger) {
  std::vector<std::vector<Bar>> batches;
  std::vector<Bar> batch;
  while (merger.next_batch(batch)) batches.push_back(batch);
  CHECK(batch.empty());  // the final call clears `out` too
  return batches;
}

}  // namespace

TEST_CASE("merging ORCL, YHOO and NVDA", "[data][merge]") {
  // Symbol ids deliberately not in file order.
  const std::vector<std::pair<std::string, SymbolId>> files = {{"ORCL", 0}, {"YHOO", 2}, {"NVDA", 1}};
  std::vector<std::unique_ptr<BarStream>> streams;
  for (const auto& [name, id] : files)
    streams.push_back(open_csv_stream(source_with("yahoo"), kSampleDir + name + ".csv", id,
                                      kNoStart, kNoEnd));
  BarMerger merger(std::move(streams));
  const auto batches = all_batches(merger);

  // The reference: which symbols trade on each date, read independently.
  std::map<std::string, std::set<SymbolId>> expected;
  std::size_t rows = 0;
  for (const auto& [name, id] : files) {
    const auto table = read_csv(kSampleDir + name + ".csv");
    rows += table.rows.size();
    for (const auto& row : table.rows) expected[row.at(0)].insert(id);
  }
  REQUIRE(rows == 5036 + 4965 + 4012);

  REQUIRE(batches.size() == expected.size());
  std::size_t total = 0;
  Timestamp previous = kNoStart;
  auto ref = expected.begin();
  for (const auto& batch : batches) {
    REQUIRE(!batch.empty());
    const Timestamp ts = batch.front().ts;
    REQUIRE(ts > previous);
    previous = ts;
    REQUIRE(format_date(ts) == ref->first);
    std::set<SymbolId> seen;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      REQUIRE(batch[i].ts == ts);
      if (i > 0) REQUIRE(batch[i - 1].symbol < batch[i].symbol);
      seen.insert(batch[i].symbol);
    }
    REQUIRE(seen == ref->second);
    total += batch.size();
    ++ref;
  }
  CHECK(total == rows);

  auto batch_on = [&](const char* date) -> const std::vector<Bar>* {
    for (const auto& b : batches)
      if (b.front().ts == day(date)) return &b;
    return nullptr;
  };
  const auto* nvda_first_day = batch_on("1999-01-22");
  REQUIRE(nvda_first_day);
  REQUIRE(nvda_first_day->size() == 3);
  CHECK((*nvda_first_day)[0].symbol == 0);
  CHECK((*nvda_first_day)[1].symbol == 1);
  CHECK((*nvda_first_day)[1].open == 1.750000);  // NVDA's first row
  CHECK((*nvda_first_day)[2].symbol == 2);

  const auto* early = batch_on("1995-01-03");
  REQUIRE(early);
  REQUIRE(early->size() == 1);
  CHECK((*early)[0].symbol == 0);
  CHECK((*early)[0].open == 2.179012);

  // YHOO runs a year past the others.
  CHECK(format_date(batches.back().front().ts) == "2015-12-31");
  CHECK(batches.back().size() == 1);
  CHECK(batches.back().front().symbol == 2);
}

TEST_CASE("merging streams with disjoint dates interleaves them", "[data][merge]") {
  std::vector<std::unique_ptr<BarStream>> streams;
  streams.push_back(std::make_unique<VectorStream>(0, std::vector<Timestamp>{d(1), d(3), d(5)}));
  streams.push_back(std::make_unique<VectorStream>(1, std::vector<Timestamp>{d(2), d(4), d(6)}));
  BarMerger merger(std::move(streams));
  const auto batches = all_batches(merger);
  REQUIRE(batches.size() == 6);
  for (int i = 0; i < 6; ++i) {
    INFO("batch " << i);
    REQUIRE(batches[i].size() == 1);
    CHECK(batches[i][0].ts == d(i + 1));
    CHECK(batches[i][0].symbol == static_cast<SymbolId>(i % 2));
    CHECK(batches[i][0].close == 100.0 * (i % 2) + i / 2);
  }
}

TEST_CASE("merging streams with identical dates orders each batch by symbol id", "[data][merge]") {
  const std::vector<Timestamp> times = {d(10), d(11), d(12)};
  std::vector<std::unique_ptr<BarStream>> streams;
  streams.push_back(std::make_unique<VectorStream>(5, times));
  streams.push_back(std::make_unique<VectorStream>(2, times));
  streams.push_back(std::make_unique<VectorStream>(9, times));
  BarMerger merger(std::move(streams));
  const auto batches = all_batches(merger);
  REQUIRE(batches.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    REQUIRE(batches[i].size() == 3);
    CHECK(batches[i][0].symbol == 2);
    CHECK(batches[i][1].symbol == 5);
    CHECK(batches[i][2].symbol == 9);
    for (const auto& bar : batches[i]) {
      CHECK(bar.ts == times[i]);
      CHECK(bar.close == 100.0 * bar.symbol + static_cast<double>(i));
    }
  }
}

TEST_CASE("the merger reads one bar ahead per stream, no more", "[data][merge]") {
  int reads_a = 0, reads_b = 0;
  std::vector<std::unique_ptr<BarStream>> streams;
  streams.push_back(std::make_unique<VectorStream>(0, std::vector<Timestamp>{d(1), d(2), d(3), d(4)}, &reads_a));
  streams.push_back(std::make_unique<VectorStream>(1, std::vector<Timestamp>{d(3), d(4)}, &reads_b));
  BarMerger merger(std::move(streams));
  CHECK(reads_a == 1);
  CHECK(reads_b == 1);
  std::vector<Bar> batch;
  REQUIRE(merger.next_batch(batch));  // d(1): A only
  CHECK(reads_a == 2);
  CHECK(reads_b == 1);
  REQUIRE(merger.next_batch(batch));  // d(2): A only
  REQUIRE(merger.next_batch(batch));  // d(3): A and B
  CHECK(batch.size() == 2);
  CHECK(reads_a == 4);
  CHECK(reads_b == 2);
}

TEST_CASE("empty mergers and empty streams", "[data][merge]") {
  std::vector<Bar> batch{Bar{}};
  BarMerger none({});
  CHECK_FALSE(none.next_batch(batch));
  CHECK(batch.empty());

  std::vector<std::unique_ptr<BarStream>> streams;
  streams.push_back(std::make_unique<VectorStream>(0, std::vector<Timestamp>{}));
  streams.push_back(std::make_unique<VectorStream>(1, std::vector<Timestamp>{d(7)}));
  BarMerger merger(std::move(streams));
  REQUIRE(merger.next_batch(batch));
  REQUIRE(batch.size() == 1);
  CHECK(batch[0].symbol == 1);
  CHECK_FALSE(merger.next_batch(batch));
  CHECK_FALSE(merger.next_batch(batch));  // stays exhausted

  BarMerger moved = std::move(merger);
  CHECK_FALSE(moved.next_batch(batch));
}

TEST_CASE("a bad row surfaces through the merger as the DataError", "[data][merge]") {
  std::vector<std::unique_ptr<BarStream>> streams;
  streams.push_back(open_csv_stream(source_with("yahoo"), kBadDir + "high_below_low.csv", 0,
                                    kNoStart, kNoEnd));
  BarMerger merger(std::move(streams));
  std::vector<Bar> batch;
  REQUIRE(merger.next_batch(batch));  // 1995-01-03; reading ahead reaches 1995-01-04
  const auto e = expect_data_error([&] { merger.next_batch(batch); });
  CHECK(e.line() == 4);
  CHECK_THAT(e.reason(), Catch::Contains("below low"));
}

// The merger keeps in-step streams in a group and the rest in a heap; every
// mix of the two must give the slices a plain sort of all bars gives.
TEST_CASE("merging streams in and out of step equals sorting every bar", "[data][merge]") {
  std::mt19937 rng(20261121);
  for (int round = 0; round < 200; ++round) {
    INFO("round " << round);
    const int nstreams = 1 + static_cast<int>(rng() % 12);
    std::vector<std::vector<Timestamp>> times(nstreams);
    std::vector<SymbolId> symbols(nstreams);
    std::vector<Bar> expected;
    for (int i = 0; i < nstreams; ++i) {
      symbols[i] = static_cast<SymbolId>(rng() % 8);  // repeats: ties fall back to the stream
      int day = static_cast<int>(rng() % 4);
      const int n = static_cast<int>(rng() % 30);
      const int skip = 1 + static_cast<int>(rng() % 5);  // some streams skip days often
      for (int k = 0; k < n; ++k) {
        times[i].push_back(d(day));
        Bar b;
        b.ts = d(day);
        b.symbol = symbols[i];
        b.close = 100.0 * symbols[i] + k;
        b.volume = i;  // stream index, the last tie-break
        expected.push_back(b);
        day += rng() % skip == 0 ? 2 : 1;
      }
    }
    std::stable_sort(expected.begin(), expected.end(), [](const Bar& x, const Bar& y) {
      if (x.ts != y.ts) return x.ts < y.ts;
      if (x.symbol != y.symbol) return x.symbol < y.symbol;
      return x.volume < y.volume;
    });

    std::vector<std::unique_ptr<BarStream>> streams;
    for (int i = 0; i < nstreams; ++i)
      streams.push_back(std::make_unique<VectorStream>(symbols[i], times[i]));
    BarMerger merger(std::move(streams));
    std::vector<Bar> merged;
    Timestamp previous = -1;
    for (const auto& batch : all_batches(merger)) {
      REQUIRE(!batch.empty());
      CHECK(batch.front().ts > previous);  // one slice per timestamp
      previous = batch.front().ts;
      for (const Bar& b : batch) {
        CHECK(b.ts == batch.front().ts);
        merged.push_back(b);
      }
    }
    REQUIRE(merged.size() == expected.size());
    for (std::size_t k = 0; k < merged.size(); ++k) {
      CHECK(merged[k].ts == expected[k].ts);
      CHECK(merged[k].symbol == expected[k].symbol);
      CHECK(merged[k].close == expected[k].close);
    }
  }
}
