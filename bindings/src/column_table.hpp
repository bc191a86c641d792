// A reused Lua table of named columns, the boundary of on_slice and of a risk
// policy's evaluate_batch (docs/writing-a-strategy.md "One call per
// timestamp"): one table per script, made once, whose columns (arrays 1..n)
// are filled on their first read inside a call and emptied when the call
// returns. No table is made per bar or per signal, a column nobody reads costs
// nothing, and a table or column kept past its call holds nothing (reading a
// field then is an error, a kept column reads nil), so stale values are never
// read silently. The script sees plain tables: reading column[i] is a table
// load the JIT compiles; no pointer and no userdata reaches it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <lua.hpp>

#include "qtrader/lua/lua_ref.hpp"

namespace qtrader {

class ColumnTable {
 public:
  // Fills one column: pushes its n values into the array at stack index
  // `array` with lua_rawseti (1..n). Called inside the script's call.
  class Source {
   public:
    virtual ~Source() = default;
    virtual void fill(lua_State* L, int column, int array, int n) = 0;
  };

  // `what` names the table in errors ("slice", "indicator set", "batch"),
  // `callback` the call it belongs to ("on_slice"); `columns` are the field
  // names in column order; `capacity` sizes each array once. Pushes nothing.
  ColumnTable(lua_State* L, std::string what, std::string callback, std::vector<std::string> columns,
              int capacity, Source* source);
  ~ColumnTable();  // the table's fields then fail as belonging to an ended run
  ColumnTable(const ColumnTable&) = delete;
  ColumnTable& operator=(const ColumnTable&) = delete;

  // A call begins: n rows, the table's `n` field set.
  void open(lua_State* L, int n);
  // The call has returned (or failed): the filled columns are emptied, the
  // table's column fields removed and `n` set to 0. Allocates nothing.
  void close(lua_State* L) noexcept;
  bool is_open() const noexcept { return open_; }
  int rows() const noexcept { return n_; }

  void push(lua_State* L) const { table_.push(L); }
  // The __index of the table: fills the named column, stores it in the table
  // and returns it. Public for the C function that wraps it.
  int index(lua_State* L);

 private:
  std::string what_, callback_;
  std::vector<std::string> columns_;
  Source* source_;
  LuaRef table_, arrays_, holder_;
  void** holder_slot_ = nullptr;  // the holder userdata's pointer back to this table
  std::uint64_t filled_ = 0;      // bit c: column c was filled in this call
  int n_ = 0;
  bool open_ = false;
};

}  // namespace qtrader
