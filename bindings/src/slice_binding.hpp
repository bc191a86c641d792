// One strategy's on_slice boundary (docs/writing-a-strategy.md "One call per
// timestamp"): the slice, whose columns are the timestamp's bars of the
// strategy's universe, and the indicator sets of ctx:indicators, whose
// `value` column is aligned with the slice. Each is a ColumnTable: made once,
// filled on first read inside on_slice, emptied when on_slice returns.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include <lua.hpp>

#include "column_table.hpp"
#include "qtrader/indicators.hpp"
#include "qtrader/types.hpp"

namespace qtrader {

class SliceBinding {
 public:
  // `capacity`: the universe's size, the arrays' size from the start.
  SliceBinding(lua_State* L, int capacity);
  ~SliceBinding();
  SliceBinding(const SliceBinding&) = delete;
  SliceBinding& operator=(const SliceBinding&) = delete;

  // ctx:indicators: a set of `by_symbol` (indexed by symbol handle, nullptr
  // where the set has none); pushes its table.
  void add_set(lua_State* L, std::vector<const Indicator*> by_symbol);

  // on_slice begins at `ts` with `bars` (which outlive the call); ends with close().
  void open(lua_State* L, Timestamp ts, std::span<const Bar> bars);
  void close(lua_State* L) noexcept;
  void push(lua_State* L) const { slice_->push(L); }

 private:
  struct BarColumns final : ColumnTable::Source {
    const SliceBinding* owner;
    explicit BarColumns(const SliceBinding* o) : owner(o) {}
    void fill(lua_State* L, int column, int array, int n) override;
  };
  struct IndicatorSet final : ColumnTable::Source {
    const SliceBinding* owner;
    std::vector<const Indicator*> by_symbol;
    std::unique_ptr<ColumnTable> table;
    IndicatorSet(const SliceBinding* o, std::vector<const Indicator*> b) : owner(o), by_symbol(std::move(b)) {}
    void fill(lua_State* L, int column, int array, int n) override;
  };

  int capacity_;
  std::span<const Bar> bars_;
  BarColumns columns_{this};
  std::unique_ptr<ColumnTable> slice_;
  std::vector<std::unique_ptr<IndicatorSet>> sets_;
};

}  // namespace qtrader
