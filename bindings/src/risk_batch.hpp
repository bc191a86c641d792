// A risk policy's evaluate_batch boundary (docs/lua-api.md "Risk
// policies"): one reused table for every batch of signals instead of a
// table per signal. Its columns (id, symbol, intention, ...) are filled on
// first read, as on_slice's are (column_table.hpp); the policy answers in
// two reused arrays, batch.size[i] (a quantity) or batch.reject[i] (a reason).
#pragma once

#include <span>
#include <string>
#include <vector>

#include <lua.hpp>

#include "column_table.hpp"
#include "qtrader/lua/lua_ref.hpp"
#include "qtrader/script_api.hpp"

namespace qtrader {

class RiskBatch {
 public:
  RiskBatch(lua_State* L, const RiskContext& ctx);
  RiskBatch(const RiskBatch&) = delete;
  RiskBatch& operator=(const RiskBatch&) = delete;

  // A call begins with `signals` (which outlive it); the answer arrays are
  // put back into the table, empty.
  void open(lua_State* L, std::span<const RiskSignal> signals);
  // After the call: one decision per answered signal, in signal order.
  // Returns "" or what is wrong with an answer (both or a bad value).
  std::string read_answers(lua_State* L, std::vector<RiskDecision>& out) const;
  void close(lua_State* L) noexcept;
  void push(lua_State* L) const { table_.push(L); }

 private:
  struct Columns final : ColumnTable::Source {
    const RiskBatch* owner;
    explicit Columns(const RiskBatch* o) : owner(o) {}
    void fill(lua_State* L, int column, int array, int n) override;
  };

  const RiskContext& ctx_;
  std::span<const RiskSignal> signals_;
  Columns columns_{this};
  ColumnTable table_;
  LuaRef size_, reject_;  // the answer arrays
};

}  // namespace qtrader
