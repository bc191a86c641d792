#include "slice_binding.hpp"

#include <cmath>

#include "lua_raw.hpp"

namespace qtrader {

namespace {

// Column order of the slice; BarColumns::fill reads them in this order.
enum SliceColumn { kSymbol, kOpen, kHigh, kLow, kClose, kVolume, kAdjClose, kBarTs };

}  // namespace

SliceBinding::SliceBinding(lua_State* L, int capacity)
    : capacity_(capacity),
      slice_(std::make_unique<ColumnTable>(
          L, "slice", "on_slice",
          std::vector<std::string>{"symbol", "open", "high", "low", "close", "volume", "adj_close", "bar_ts"},
          capacity, &columns_)) {}

SliceBinding::~SliceBinding() = default;

void SliceBinding::add_set(lua_State* L, std::vector<const Indicator*> by_symbol) {
  auto set = std::make_unique<IndicatorSet>(this, std::move(by_symbol));
  set->table = std::make_unique<ColumnTable>(L, "indicator set", "on_slice", std::vector<std::string>{"value"},
                                             capacity_, set.get());
  set->table->push(L);
  sets_.push_back(std::move(set));
}

void SliceBinding::open(lua_State* L, Timestamp ts, std::span<const Bar> bars) {
  bars_ = bars;
  const int n = static_cast<int>(bars.size());
  slice_->open(L, n);
  slice_->push(L);
  set_number(L, -1, "ts", static_cast<double>(ts));  // raw, as every host write
  lua_pop(L, 1);
  for (auto& set : sets_) set->table->open(L, n);
}

void SliceBinding::close(lua_State* L) noexcept {
  slice_->close(L);
  slice_->push(L);
  lua_pushstring(L, "ts");
  lua_pushnil(L);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  for (auto& set : sets_) set->table->close(L);
  bars_ = {};
}

void SliceBinding::BarColumns::fill(lua_State* L, int column, int array, int n) {
  const Bar* bars = owner->bars_.data();
  for (int i = 0; i < n; ++i) {
    const Bar& b = bars[i];
    double v = 0;
    switch (column) {
      case kSymbol: v = b.symbol; break;
      case kOpen: v = b.open; break;
      case kHigh: v = b.high; break;
      case kLow: v = b.low; break;
      case kClose: v = b.close; break;
      case kVolume: v = b.volume; break;
      case kAdjClose: v = b.adj_close; break;
      default: v = static_cast<double>(b.ts); break;
    }
    lua_pushnumber(L, v);
    lua_rawseti(L, array, i + 1);
  }
}

void SliceBinding::IndicatorSet::fill(lua_State* L, int /*column*/, int array, int n) {
  const Bar* bars = owner->bars_.data();
  for (int i = 0; i < n; ++i) {
    const SymbolId s = bars[i].symbol;
    const Indicator* ind = s < by_symbol.size() ? by_symbol[s] : nullptr;
    lua_pushnumber(L, ind ? ind->value(0, 0) : std::nan(""));
    lua_rawseti(L, array, i + 1);
  }
}

}  // namespace qtrader
