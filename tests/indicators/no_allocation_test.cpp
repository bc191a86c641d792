// update() must not allocate: counts calls to the global operator new while
// indicators run over a whole price file.
#include <cstdlib>
#include <new>
#include <vector>

#include <catch2/catch.hpp>

#include "fixture_csv.hpp"
#include "qtrader/indicators.hpp"

namespace {
bool g_counting = false;
long g_allocations = 0;
}  // namespace

// Replaces the global allocation functions of this test program; other tests
// are unaffected because counting is on only inside the loop below.
// GCC cannot see that these deletes pair with the malloc-based new above.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  if (g_counting) ++g_allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
// The other forms too: a runtime that supplies its own (ASan's nothrow new,
// which Catch2 uses) would hand our malloc-based delete its memory, an
// alloc-dealloc mismatch.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  if (g_counting) ++g_allocations;
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
#pragma GCC diagnostic pop

using namespace qtrader;

TEST_CASE("update() never allocates", "[indicators][allocation]") {
  auto file = test::read_yahoo_prices(test::sample_path("ORCL.csv"));
  struct Kind {
    const char* kind;
    std::vector<double> args;
  };
  const std::vector<Kind> kinds = {
      {"sma", {30}},       {"ema", {20}},   {"wma", {20}},         {"rsi", {14}},
      {"macd", {}},        {"bbands", {20}}, {"stddev", {20}},     {"atr", {14}},
      {"roc", {10}},       {"willr", {14}}, {"stoch", {14, 3, 3}}, {"adx", {14}},
      {"cci", {20}},       {"obv", {}},     {"highest", {20}},     {"lowest", {20}},
  };
  for (const auto& k : kinds) {
    auto ind = make_indicator(k.kind, BarField::Close, k.args, 64);
    g_allocations = 0;
    g_counting = true;
    for (const Bar& b : file.bars) ind->update(b);
    g_counting = false;
    INFO(k.kind);
    CHECK(g_allocations == 0);
    CHECK(ind->ready());
  }
}
