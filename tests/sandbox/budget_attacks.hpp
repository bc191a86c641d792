// The attacks on the time and memory budgets (docs/sandbox.md, T6, T7, T9,
// T10, T24), shared by the in-process tests (budget_test.cpp, JIT off) and the
// supervised ones (supervised_budget_test.cpp, JIT on in a child).
#pragma once

namespace qtrader::sandbox_test {

// T6: loops that never end.
inline const char* const kEndlessLoops[] = {"while true do end", "for i = 1, 1e18 do end",
                                            "repeat local x = 1 until false",
                                            "local function f() return f() end f()"};

// T7: loops that try to swallow the timeout.
inline const char* const kSwallowers[] = {
    "while true do pcall(function() while true do end end) end",
    "while true do xpcall(function() while true do end end, function(m) return m end) end",
    "while true do xpcall(function() while true do end end, function() while true do end end) end",
    "while true do coroutine.resume(coroutine.create(function() while true do end end)) end",
    "while true do pcall(coroutine.wrap(function() while true do end end)) end",
    "while true do pcall(string.gsub, 'abc', '.', function() while true do end end) end",
    "while true do pcall(table.sort, {3, 2, 1}, function(a, b) while true do end end) end",
    "while true do local ok, e = pcall(error, 'x') end",
};

// T9: memory bombs (run with a 24 MiB cap).
inline const char* const kMemoryBombs[] = {
    "local t = {} for i = 1, 1e9 do t[i] = {i} end",
    "local s = 'x' while true do s = s .. s end",
    "local t = {} for i = 1, 1e8 do t[i] = ('x'):rep(1000) .. i end",
    "local t = {} for i = 1, 1e6 do t[i] = ('y'):rep(1000) end local s = table.concat(t)",
    "coroutine.wrap(function() local t = {} for i = 1, 1e9 do t[i] = {i} end end)()",
};

// T10: one giant string.
inline const char* const kRepBombs[] = {"local s = string.rep('x', 2^30)", "local s = ('x'):rep(2^24 + 1)",
                                        "local s = string.rep('', 2^24, ('y'):rep(1000))",
                                        "local s = string.rep('ab', 2^23 + 1)"};

// T24: work no hook reaches. Library functions LuaJIT writes in Lua (compiled
// traces ignore the hook) and C loops whose length a script chooses: a shift
// over a position the script picks, searches and matches whose cost is the
// product of two lengths, crafted sorts.
inline const char* const kUnhookedWork[] = {
    "table.move({}, 2^40, 2^52, 2^41)",
    "local t = {} table.move(t, 1, 2^40, 2, t)",
    "table.insert({}, -2^31, 1)",
    "local s = ('a'):rep(2^22) local n = ('a'):rep(2^21) .. 'b' local r = s:find(n, 1, true)",
    "local s = ('a'):rep(2^22) local n = ('a'):rep(2^20) .. 'b' local r = s:find(n)",
    "local s = ('a'):rep(2^22) local r = s:find(('%a'):rep(2^17) .. 'b')",
    "local s = ('ab'):rep(2^21) local r = s:match(('[ab]'):rep(3000) .. 'c')",
    "local s = ('a'):rep(2^22) local r = s:gsub(('a'):rep(2^20) .. 'b', '')",
    "local s = ('a'):rep(2^22) for w in s:gmatch(('a'):rep(2^20) .. 'b') do end",
    "local s = ('('):rep(2^20) local r = s:find('%b()')",
    "local s = ('a'):rep(2^20) local r = s:find('(a+)b%1')",
    "local t = {} for i = 1, 3e6 do t[i] = (i * 7919) % 3e6 end table.sort(t)",
    "local t = {} for i = 1, 3e6 do t[i] = i end table.sort(t, rawequal)",
};

// Loops the JIT compiles once warm (issue #14 item 1, issue #15): a trace
// never runs a hook, so only the supervisor can stop them. Each warms up
// first, so the endless part starts as a compiled trace.
inline const char* const kCompiledLoops[] = {
    "local x = 0 for i = 1, 1e12 do x = x + i end",
    "local x = 0 for i = 1, 1000 do x = x + i end while true do end",
    "local t = {} for i = 1, 200 do table.move({1, 2, 3}, 1, 3, 2, t) end table.move({}, 2^40, 2^52, 2^41)",
    "local x = 0 while true do x = x + 1 end",
};

}  // namespace qtrader::sandbox_test
