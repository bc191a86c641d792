// The Indicator interface: history, warm-up, argument checks, defaults, and a
// few definitions checked by hand on tiny series.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "fixture_csv.hpp"
#include "qtrader/indicators.hpp"

using namespace qtrader;
using Catch::Matchers::Contains;

namespace {

Bar bar_ohlcv(double open, double high, double low, double close, double volume) {
  Bar b;
  b.open = open;
  b.high = high;
  b.low = low;
  b.close = close;
  b.volume = volume;
  return b;
}
Bar bar_close(double close) { return bar_ohlcv(close, close, close, close, 0.0); }

std::unique_ptr<Indicator> make(const char* kind, std::vector<double> args, int history = 256,
                                BarField field = BarField::Close) {
  return make_indicator(kind, field, args, history);
}

std::string invalid_message(const char* kind, std::vector<double> args, int history = 256) {
  try {
    make(kind, args, history);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "(no exception)";
}

}  // namespace

TEST_CASE("bar fields parse by name and read the bar", "[indicators][api]") {
  BarField f = BarField::Open;
  const std::pair<const char*, BarField> names[] = {
      {"open", BarField::Open},     {"high", BarField::High},
      {"low", BarField::Low},       {"close", BarField::Close},
      {"volume", BarField::Volume}, {"adj_close", BarField::AdjClose}};
  for (auto [name, field] : names) {
    INFO(name);
    CHECK(parse_bar_field(name, f));
    CHECK(f == field);
  }
  CHECK_FALSE(parse_bar_field("Close", f));
  CHECK_FALSE(parse_bar_field("adjclose", f));
  CHECK_FALSE(parse_bar_field("", f));

  Bar b = bar_ohlcv(1, 4, 0.5, 2, 1000);
  b.adj_close = 1.75;
  CHECK(field_of(b, BarField::Open) == 1);
  CHECK(field_of(b, BarField::High) == 4);
  CHECK(field_of(b, BarField::Low) == 0.5);
  CHECK(field_of(b, BarField::Close) == 2);
  CHECK(field_of(b, BarField::Volume) == 1000);
  CHECK(field_of(b, BarField::AdjClose) == 1.75);
}

TEST_CASE("value(line, ago) reads back through the kept history", "[indicators][api]") {
  auto sma = make("sma", {3}, 4);
  CHECK_FALSE(sma->ready());
  CHECK(std::isnan(sma->value()));
  sma->update(bar_close(1));
  sma->update(bar_close(2));
  CHECK_FALSE(sma->ready());
  sma->update(bar_close(3));
  CHECK(sma->ready());
  CHECK(sma->value() == 2);
  CHECK(std::isnan(sma->value(0, 1)));  // bar 2: still warming up
  CHECK(std::isnan(sma->value(0, 3)));  // before the first bar
  for (int c = 4; c <= 10; ++c) sma->update(bar_close(c));
  CHECK(sma->value(0, 0) == 9);
  CHECK(sma->value(0, 1) == 8);
  CHECK(sma->value(0, 3) == 6);
  CHECK(std::isnan(sma->value(0, 4)));  // beyond history = 4
  CHECK(std::isnan(sma->value(0, -1)));
  CHECK(std::isnan(sma->value(1, 0)));  // sma has one line
  CHECK(sma->outputs() == 1);
}

TEST_CASE("value(line, ago) matches TA-Lib's earlier bars at the end of a long series",
          "[indicators][api]") {
  auto file = test::read_yahoo_prices(test::sample_path("ORCL.csv"));
  auto talib = test::read_csv_columns(test::fixture_path("talib/orcl-1995-2014.talib.csv"));
  auto macd = make("macd", {12, 26, 9}, 50);
  for (const Bar& b : file.bars) macd->update(b);
  const auto& line = talib.column("macd_12_26_9");
  const auto& signal = talib.column("macd_signal_12_26_9");
  std::size_t last = file.bars.size() - 1;
  for (int ago = 0; ago < 50; ++ago) {
    INFO("ago " << ago);
    CHECK(macd->value(0, ago) == Approx(line[last - ago]).epsilon(1e-9));
    CHECK(macd->value(1, ago) == Approx(signal[last - ago]).epsilon(1e-9));
  }
  CHECK(std::isnan(macd->value(0, 50)));
}

TEST_CASE("each kind has its number of output lines", "[indicators][api]") {
  CHECK(make("macd", {})->outputs() == 3);
  CHECK(make("bbands", {})->outputs() == 3);
  CHECK(make("stoch", {})->outputs() == 2);
  for (const char* kind : {"sma", "ema", "wma", "rsi", "stddev", "atr", "roc", "willr", "adx",
                           "cci", "obv", "highest", "lowest"}) {
    INFO(kind);
    CHECK(make(kind, {})->outputs() == 1);
  }
}

TEST_CASE("bad kinds and arguments throw invalid_argument naming them", "[indicators][api]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THAT(invalid_message("smaa", {10}), Contains("smaa"));
  CHECK_THAT(invalid_message("SMA", {10}), Contains("SMA"));
  CHECK_THAT(invalid_message("sma", {10, 20}), Contains("sma") && Contains("at most 1"));
  CHECK_THAT(invalid_message("obv", {1}), Contains("obv"));
  CHECK_THAT(invalid_message("macd", {12, 26, 9, 1}), Contains("macd"));
  CHECK_THAT(invalid_message("sma", {2.5}), Contains("sma") && Contains("period") && Contains("2.5"));
  CHECK_THAT(invalid_message("ema", {0}), Contains("ema") && Contains("period"));
  CHECK_THAT(invalid_message("rsi", {-14}), Contains("rsi") && Contains("-14"));
  CHECK_THAT(invalid_message("atr", {nan}), Contains("atr") && Contains("period"));
  CHECK_THAT(invalid_message("wma", {1e6}), Contains("wma"));
  CHECK_THAT(invalid_message("macd", {12, 0, 9}), Contains("macd") && Contains("slow"));
  CHECK_THAT(invalid_message("stoch", {14, 3, 1.5}), Contains("stoch") && Contains("slowd"));
  CHECK_THAT(invalid_message("bbands", {20, inf}), Contains("bbands") && Contains("nbdevup"));
  CHECK_THAT(invalid_message("stddev", {20, nan}), Contains("stddev") && Contains("nbdev"));
  CHECK_THAT(invalid_message("sma", {10}, 0), Contains("sma") && Contains("history"));
  CHECK_NOTHROW(make("sma", {1}, 1));
  CHECK_NOTHROW(make("bbands", {20, 0.5, -1}));
}

TEST_CASE("omitted arguments take TA-Lib's defaults", "[indicators][api]") {
  auto file = test::read_yahoo_prices(test::sample_path("YHOO.csv"));
  struct Pair {
    std::unique_ptr<Indicator> defaulted, explicit_args;
  };
  std::vector<Pair> pairs;
  pairs.push_back({make("macd", {}), make("macd", {12, 26, 9})});
  pairs.push_back({make("macd", {12, 26}), make("macd", {12, 26, 9})});
  pairs.push_back({make("bbands", {}), make("bbands", {5, 2, 2})});
  pairs.push_back({make("bbands", {20}), make("bbands", {20, 2, 2})});
  pairs.push_back({make("stoch", {}), make("stoch", {5, 3, 3})});
  pairs.push_back({make("stddev", {}), make("stddev", {5, 1})});
  pairs.push_back({make("sma", {}), make("sma", {30})});
  pairs.push_back({make("rsi", {}), make("rsi", {14})});
  pairs.push_back({make("cci", {}), make("cci", {14})});
  pairs.push_back({make("roc", {}), make("roc", {10})});
  long differences = 0;
  for (const Bar& b : file.bars) {
    for (auto& p : pairs) {
      p.defaulted->update(b);
      p.explicit_args->update(b);
      for (int line = 0; line < p.defaulted->outputs(); ++line) {
        double a = p.defaulted->value(line), e = p.explicit_args->value(line);
        if (!(a == e || (std::isnan(a) && std::isnan(e)))) ++differences;
      }
    }
  }
  CHECK(differences == 0);
  CHECK(pairs[0].defaulted->ready());
}

TEST_CASE("MACD with fast and slow swapped is the same MACD", "[indicators][api]") {
  // TA-Lib swaps the periods when slow < fast.
  auto file = test::read_yahoo_prices(test::sample_path("ORCL.csv"));
  auto normal = make("macd", {12, 26, 9});
  auto swapped = make("macd", {26, 12, 9});
  long differences = 0;
  for (const Bar& b : file.bars) {
    normal->update(b);
    swapped->update(b);
    for (int line = 0; line < 3; ++line) {
      double a = normal->value(line), s = swapped->value(line);
      if (!(a == s || (std::isnan(a) && std::isnan(s)))) ++differences;
    }
  }
  CHECK(differences == 0);
}

TEST_CASE("small series worked by hand", "[indicators][api]") {
  SECTION("obv starts at the first volume and follows the field") {
    auto obv = make("obv", {});
    const double closes[] = {10, 11, 11, 9, 12};
    const double volumes[] = {100, 200, 300, 400, 50};
    const double expected[] = {100, 300, 300, -100, -50};
    for (int i = 0; i < 5; ++i) {
      obv->update(bar_ohlcv(0, 0, 0, closes[i], volumes[i]));
      CHECK(obv->value() == expected[i]);
    }
  }
  SECTION("roc is 0 when the old value is 0, as in TA-Lib") {
    auto roc = make("roc", {2});
    roc->update(bar_close(0));
    roc->update(bar_close(5));
    CHECK_FALSE(roc->ready());
    roc->update(bar_close(7));
    CHECK(roc->value() == 0.0);
    roc->update(bar_close(10));  // 10 / 5 - 1
    CHECK(roc->value() == 100.0);
  }
  SECTION("highest and lowest read the chosen field over the window") {
    auto hi = make("highest", {3}, 8, BarField::Close);
    auto lo = make("lowest", {3}, 8, BarField::Open);
    const double closes[] = {5, 9, 7, 6, 4, 8};
    const double opens[] = {3, 1, 2, 6, 7, 5};
    const double highs[] = {9, 9, 7, 8};
    const double lows[] = {1, 1, 2, 5};
    for (int i = 0; i < 6; ++i) {
      hi->update(bar_ohlcv(opens[i], 100, -100, closes[i], 0));
      lo->update(bar_ohlcv(opens[i], 100, -100, closes[i], 0));
      if (i < 2) {
        CHECK_FALSE(hi->ready());
        CHECK_FALSE(lo->ready());
      } else {
        CHECK(hi->value() == highs[i - 2]);
        CHECK(lo->value() == lows[i - 2]);
      }
    }
  }
  SECTION("a flat window gives 0 for willr, stoch and cci (TA-Lib's convention)") {
    auto willr = make("willr", {3});
    auto stoch = make("stoch", {3, 1, 1});
    auto cci = make("cci", {3});
    for (int i = 0; i < 3; ++i) {
      Bar b = bar_close(4.25);
      willr->update(b);
      stoch->update(b);
      cci->update(b);
    }
    CHECK(willr->value() == 0.0);
    CHECK(stoch->value(0) == 0.0);
    CHECK(stoch->value(1) == 0.0);
    CHECK(cci->value() == 0.0);
  }
  SECTION("rsi of steady rises is 100; wma weights the newest most") {
    auto rsi = make("rsi", {3});
    auto wma = make("wma", {3});
    const double closes[] = {1, 2, 3, 4, 5};
    for (double c : closes) {
      rsi->update(bar_close(c));
      wma->update(bar_close(c));
    }
    CHECK(rsi->value() == 100.0);
    CHECK(wma->value() == Approx((3 * 1 + 4 * 2 + 5 * 3) / 6.0).epsilon(1e-15));
    CHECK(wma->value(0, 2) == Approx((1 * 1 + 2 * 2 + 3 * 3) / 6.0).epsilon(1e-15));
    CHECK(std::isnan(wma->value(0, 3)));
  }
}
