#include "column_table.hpp"

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

#include "lua_raw.hpp"
#include "trampoline.hpp"

namespace qtrader {

namespace {

// The holder userdata (upvalue 1 of the metamethods) points at its
// ColumnTable while that lives; ~ColumnTable clears it.
ColumnTable* table_of(lua_State* L) {
  return *static_cast<ColumnTable**>(lua_touserdata(L, lua_upvalueindex(1)));
}

const char* name_of(lua_State* L) { return lua_tostring(L, lua_upvalueindex(2)); }

int column_index(lua_State* L) {
  ColumnTable* table = table_of(L);
  if (!table)
    throw std::logic_error(fmt::format("{}: this object belongs to a run that has ended", name_of(L)));
  return table->index(L);
}

int column_newindex(lua_State* L) {
  throw std::logic_error(fmt::format("{} is read-only (field {})", name_of(L), describe_value(L, 2)));
}

}  // namespace

ColumnTable::ColumnTable(lua_State* L, std::string what, std::string callback,
                         std::vector<std::string> columns, int capacity, Source* source)
    : what_(std::move(what)), callback_(std::move(callback)), columns_(std::move(columns)), source_(source) {
  if (columns_.size() > 64) throw std::logic_error("ColumnTable: at most 64 columns");
  const int top = lua_gettop(L);
  lua_createtable(L, static_cast<int>(columns_.size()), 0);  // the arrays, by column
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    lua_createtable(L, capacity, 0);
    lua_rawseti(L, -2, static_cast<int>(c + 1));
  }
  arrays_ = LuaRef::pop(L);

  auto* slot = static_cast<void**>(lua_newuserdata(L, sizeof(void*)));
  *slot = this;
  holder_slot_ = slot;
  lua_pushvalue(L, -1);
  holder_ = LuaRef::pop(L);  // stack: holder
  lua_pushlstring(L, what_.data(), what_.size());  // stack: holder, name (for errors once the table is gone)
  lua_createtable(L, 0, 8);  // stack: holder, name, table
  lua_createtable(L, 0, 3);  // stack: holder, name, table, mt
  lua_pushvalue(L, -4);
  lua_pushvalue(L, -4);
  lua_pushcclosure(L, lj_cfunc<column_index>, 2);
  lua_setfield(L, -2, "__index");
  lua_pushvalue(L, -4);
  lua_pushvalue(L, -4);
  lua_pushcclosure(L, lj_cfunc<column_newindex>, 2);
  lua_setfield(L, -2, "__newindex");
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");  // getmetatable gives false, setmetatable fails
  lua_setmetatable(L, -2);
  set_number(L, -1, "n", 0);  // raw: the table's __newindex refuses every new key
  table_ = LuaRef::pop(L);
  lua_settop(L, top);
}

ColumnTable::~ColumnTable() {
  if (holder_slot_) *holder_slot_ = nullptr;
}

void ColumnTable::open(lua_State* L, int n) {
  n_ = n;
  open_ = true;
  table_.push(L);
  set_number(L, -1, "n", n);
  lua_pop(L, 1);
}

void ColumnTable::close(lua_State* L) noexcept {
  const int top = lua_gettop(L);
  table_.push(L);
  const int table = lua_gettop(L);
  arrays_.push(L);
  const int arrays = lua_gettop(L);
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    // Every column field goes, filled or not: one a script stored with
    // rawset must not survive into the next call either.
    lua_pushstring(L, columns_[c].c_str());
    lua_pushnil(L);
    lua_rawset(L, table);
    if (!(filled_ >> c & 1)) continue;
    lua_rawgeti(L, arrays, static_cast<int>(c + 1));
    for (int i = 1; i <= n_; ++i) {
      lua_pushnil(L);
      lua_rawseti(L, -2, i);
    }
    lua_pop(L, 1);
  }
  set_number(L, table, "n", 0);  // an existing key: no allocation
  lua_settop(L, top);
  filled_ = 0;
  n_ = 0;
  open_ = false;
}

int ColumnTable::index(lua_State* L) {
  std::size_t len = 0;
  const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tolstring(L, 2, &len) : nullptr;
  std::size_t c = 0;
  while (c < columns_.size() &&
         !(key && columns_[c].size() == len && std::memcmp(columns_[c].data(), key, len) == 0))
    ++c;
  if (c == columns_.size()) {
    std::string names = "n";
    for (const auto& name : columns_) names += ", " + name;
    throw std::invalid_argument(
        fmt::format("{} has no field {} (fields: {})", what_, describe_value(L, 2), names));
  }
  if (!open_)
    throw std::logic_error(fmt::format("{}.{} can be read only inside {} (kept past its call, it holds nothing)",
                                       what_, columns_[c], callback_));
  arrays_.push(L);
  lua_rawgeti(L, -1, static_cast<int>(c + 1));
  const int array = lua_gettop(L);
  source_->fill(L, static_cast<int>(c), array, n_);
  filled_ |= std::uint64_t{1} << c;
  lua_settop(L, array);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, array);
  lua_rawset(L, 1);  // later reads in this call find it without a C call
  return 1;
}

}  // namespace qtrader
