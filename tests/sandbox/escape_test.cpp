// Threats 1-5, 17, 22, 23, 25, 26: reaching the process, files, the real globals or shared
// tables; non-determinism; state leaking between scripts and runs.
#include <filesystem>

#include "qtrader/lua/script_registry.hpp"
#include "sandbox_support.hpp"

using namespace qtrader;
using namespace qtrader::sandbox_test;
using Kind = ScriptError::Kind;

TEST_CASE("threat 1: io, os, debug, package, ffi, jit and the loaders are unreachable", "[sandbox][t1]") {
  ScriptHost host;
  const char* attacks[] = {
      "io.open('/etc/passwd')",       "os.execute('true')",         "debug.getinfo(1)",
      "package.loadlib('x', 'y')",    "ffi.cdef('int x;')",          "jit.off()",
      "load('return 1')",             "loadstring('return 1')",     "loadfile('/etc/passwd')",
      "dofile('/etc/passwd')",        "_G.io.open('/etc/passwd')",  "rawget(_G, 'os').exit()",
      "module('x')",                  "gcinfo()"};
  int n = 0;
  for (const char* attack : attacks) {
    INFO(attack);
    auto e = on_bar_error(host, "t1_" + std::to_string(n++), attack, Kind::Runtime);
    CHECK_THAT(e.message(), Catch::Contains("a nil value"));
  }
  // require resolves only inside the script roots: no C modules, no standard libraries.
  for (const char* name : {"io", "os", "ffi", "jit", "debug", "string"}) {
    INFO(name);
    auto e = on_bar_error(host, std::string("t1_require_") + name,
                          std::string("require('") + name + "')", Kind::Runtime);
    CHECK_THAT(e.message(), Catch::Contains("not found in the script folders"));
  }
  check_host_alive(host);
}

TEST_CASE("threat 2: getfenv and setfenv are gone and _G is the script's own table", "[sandbox][t2]") {
  ScriptHost host;
  on_bar_error(host, "t2_getfenv", "local g = getfenv(0)", Kind::Runtime);
  on_bar_error(host, "t2_setfenv", "setfenv(1, {})", Kind::Runtime);
  CHECK(host.evaluate("return _G._G == _G and _G.string ~= nil and _G.io == nil") == "true");
  // A script's _G is fresh: replacing its metatable reaches nothing (redis#2854).
  CHECK(host.evaluate("setmetatable(_G, nil) return type(rawget(_G, 'os'))") == "nil");
  check_host_alive(host);
}

TEST_CASE("threat 3: bytecode is refused for scripts, modules and strings", "[sandbox][t3]") {
  const std::string bytecode("\x1bLJ\x02\x0a\x00\x01\x02\x00\x00\x00\x00", 12);
  ScriptHost host({}, {temp_dir() + "/t3_modules"});
  TestStrategyContext ctx;

  const std::string script = write_file("t3_bytecode.lua", bytecode);
  auto e = script_error([&] { StrategyScript(host, script, ctx, {}); });
  CHECK(e.kind() == Kind::Load);
  CHECK(e.script() == script);
  CHECK_THAT(e.message(), Catch::Contains("wrong mode"));

  write_file("t3_modules/bytecode_module.lua", bytecode);
  e = on_bar_error(host, "t3_require", "require('bytecode_module')", Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("wrong mode"));

  // No way to make bytecode either.
  on_bar_error(host, "t3_dump", "string.dump(function() end)", Kind::Runtime);
  on_bar_error(host, "t3_dump_method", "local s = ('').dump(function() end)", Kind::Runtime);
  check_host_alive(host);
}

TEST_CASE("threat 4: the shared string metatable is sealed and safe", "[sandbox][t4]") {
  ScriptHost host;
  CHECK(host.evaluate("return getmetatable('')") == "false");
  auto e = on_bar_error(host, "t4_index", "local real = getmetatable('').__index", Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("attempt to index a boolean value"));
  e = on_bar_error(host, "t4_set", "setmetatable('', {})", Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("bad argument #1 to 'setmetatable'"));
  // Methods on strings go through the safe copies, whatever the script's `string` holds.
  e = on_bar_error(host, "t4_rep", "string.rep = nil local s = ('x'):rep(2^30)", Kind::Runtime);
  CHECK_THAT(e.message(), Catch::Contains("string.rep: result too large"));
  CHECK(host.evaluate("return type(('').dump)") == "nil");
  check_host_alive(host);
}

TEST_CASE("threat 5: a script cannot change the libraries other scripts see", "[sandbox][t5]") {
  ScriptHost host;
  TestStrategyContext ctx_a, ctx_b;
  const std::string a = write_file("t5_a.lua", R"(
return { name = 't5_a',
  on_init = function(ctx)
    string.upper = nil; string.format = function() return 'pwned' end
    table.insert = nil; math.floor = nil; coroutine.wrap = nil; bit.band = nil
    pairs = nil; tostring = nil
  end,
  on_bar = function(ctx, bar) ctx:log('info', ('x'):upper(), ('%d'):format(7)) end })");
  const std::string b = write_file("t5_b.lua", R"(
return { name = 't5_b',
  on_bar = function(ctx, bar)
    local t = {} table.insert(t, 1)
    ctx:log('info', string.upper('b'), string.format('%d', 7), math.floor(2.5), bit.band(6, 3),
            type(coroutine.wrap), type(pairs), tostring(t[1]))
  end })");
  StrategyScript sa(host, a, ctx_a, {}), sb(host, b, ctx_b, {});
  sa.on_init();
  sb.on_init();
  sa.on_bar(kBar);
  sb.on_bar(kBar);
  REQUIRE(ctx_a.logs.size() == 1);
  CHECK_THAT(ctx_a.logs[0].second, Catch::EndsWith("X 7"));  // string methods are not the script's table
  REQUIRE(ctx_b.logs.size() == 1);
  CHECK_THAT(ctx_b.logs[0].second, Catch::EndsWith("B 7 2 2 function function 1"));
}

TEST_CASE("threat 17: no GC control, no seeding, no clocks, and math.random is per-run deterministic",
          "[sandbox][t17]") {
  ScriptHost host;
  for (const char* attack : {"collectgarbage('stop')", "math.randomseed(os.time())", "local t = os.clock()",
                             "local t = os.time()"}) {
    INFO(attack);
    on_bar_error(host, std::string("t17_") + std::to_string(std::hash<std::string>{}(attack)), attack,
                 Kind::Runtime);
  }
  // Same seed: same draws in another state, whatever the other scripts drew
  // in the same order; another seed: other draws.
  const char* draw = "local t = {} for i = 1, 8 do t[i] = math.random(1, 1e6) end return table.concat(t, ',')";
  ScriptLimits seeded;
  seeded.random_seed = 7;
  ScriptHost first(seeded), second(seeded);
  const std::string a1 = first.evaluate(draw), a2 = first.evaluate(draw);
  CHECK(second.evaluate(draw) == a1);
  CHECK(second.evaluate(draw) == a2);
  seeded.random_seed = 8;
  ScriptHost other(seeded);
  CHECK(other.evaluate(draw) != a1);
  // Lua 5.1's contract: (m, n) within [m, n], () within [0, 1).
  CHECK(first.evaluate("for i = 1, 1000 do local x = math.random(3, 5) "
                       "if x < 3 or x > 5 or x % 1 ~= 0 then return 'bad ' .. x end end return 'ok'") == "ok");
  CHECK(first.evaluate("for i = 1, 1000 do local x = math.random() if x < 0 or x >= 1 then return 'bad' end end "
                       "return 'ok'") == "ok");
}

TEST_CASE("threat 22: tostring does not reveal heap addresses", "[sandbox][t22]") {
  ScriptHost host;
  for (const char* value : {"print", "{}", "function() end", "coroutine.create(function() end)", "math.floor"}) {
    INFO(value);
    const std::string text = host.evaluate(std::string("return tostring(") + value + ")");
    CHECK(text.find("0x") == std::string::npos);
  }
  // Distinct objects stay distinct, the same object keeps its name, and
  // __tostring still works.
  CHECK(host.evaluate("local a, b = {}, {} return tostring(a) ~= tostring(b) and tostring(a) == tostring(a)") ==
        "true");
  CHECK(host.evaluate("return tostring(setmetatable({}, {__tostring = function() return 'mine' end}))") == "mine");
  CHECK(host.evaluate("return tostring(12.5) .. tostring(nil) .. tostring(true)") == "12.5niltrue");
  // The names do not depend on where the allocator put things: same text in a fresh state.
  ScriptHost other;
  const char* names = "local t = {} for i = 1, 3 do t[i] = tostring({}) end return table.concat(t, ' ')";
  CHECK(host.evaluate(names) != "");
  ScriptHost third;
  CHECK(other.evaluate(names) == third.evaluate(names));
}

TEST_CASE("threat 23: every script and every run starts clean", "[sandbox][t23]") {
  ScriptHost host;
  TestStrategyContext ctx_a, ctx_b;
  const std::string a = write_file("t23_a.lua",
                                   "leaked = 42\nstring.secret = 1\nreturn { name = 't23_a', on_bar = function() end }");
  const std::string b = write_file("t23_b.lua", R"(
return { name = 't23_b',
  on_bar = function(ctx, bar) ctx:log('info', type(leaked), type(string.secret), type(rawget(_G, 'leaked'))) end })");
  StrategyScript sa(host, a, ctx_a, {}), sb(host, b, ctx_b, {});
  sb.on_bar(kBar);
  REQUIRE(ctx_b.logs.size() == 1);
  CHECK_THAT(ctx_b.logs[0].second, Catch::EndsWith("nil nil nil"));
  // A new run gets a new state: nothing of the last one is left.
  host.evaluate("kept_from_last_run = true");
  ScriptHost next_run;
  CHECK(next_run.evaluate("return type(kept_from_last_run)") == "nil");
}

TEST_CASE("threat 25: require and script folders never lead outside their folder", "[sandbox][t25]") {
  // A file outside every script folder whose first line must never be quoted.
  const std::string secret = write_file("t25_outside/secret.lua", "top secret first line\n");
  const std::string dir = temp_dir() + "/t25_scripts";
  std::filesystem::create_directories(dir + "/sub");
  std::filesystem::create_symlink(secret, dir + "/evil.lua");
  std::filesystem::create_symlink(temp_dir() + "/t25_outside", dir + "/sub/out");
  write_file("t25_scripts/fine.lua", "return { ok = 1 }");
  std::filesystem::create_symlink(dir + "/fine.lua", dir + "/alias.lua");  // inside: allowed
  ScriptHost host(ScriptLimits{}, {dir});
  for (const char* name : {"evil", "sub.out.secret"}) {
    INFO(name);
    auto e = script_error([&] { host.evaluate(std::string("return require('") + name + "')"); });
    CHECK_THAT(e.message(), Catch::Contains("leads outside its folder"));
    CHECK_THAT(e.message(), !Catch::Contains("top secret"));
  }
  for (const char* name : {"/etc/passwd", "..x", "a/b", "x..y"}) {
    auto e = script_error([&] { host.evaluate(std::string("return require('") + name + "')"); });
    CHECK_THAT(e.message(), Catch::Contains("invalid module name"));
  }
  CHECK(host.evaluate("return require('alias').ok + require('fine').ok") == "2");

  // A script in a registry folder that links out of it is listed with an error, never loaded.
  std::filesystem::create_symlink(secret, dir + "/linked_strategy.lua");
  RegistryEntry entry = ScriptRegistry::describe(dir + "/linked_strategy.lua", {{dir}, "", ""});
  CHECK_THAT(entry.load_error, Catch::Contains("leads outside its script folder"));
  CHECK_THAT(entry.load_error, !Catch::Contains("top secret"));
}

TEST_CASE("threat 26: each script of a run has its own module instances", "[sandbox][t26]") {
  const std::string dir = temp_dir() + "/t26";
  write_file("t26/box.lua", "return { count = 0 }");
  const std::string keeper = write_file("t26/t26_keeper.lua", R"(local box = require('box')
return { name = 't26_keeper', on_bar = function(ctx, bar)
  box.ctx = ctx
  box.count = box.count + 1
  require('qtrader.risk_rules').evaluate = function() return { { quantity = 7777 } } end
  ctx:log('info', box.count, tostring(require('box') == box)) end })");
  const std::string thief = write_file("t26/t26_thief.lua", R"(local box = require('box')
local rules = require('qtrader.risk_rules')
local original = rules.evaluate
return { name = 't26_thief', on_bar = function(ctx, bar)
  ctx:log('info', type(box.ctx), box.count, tostring(rules.evaluate == original)) end })");
  ScriptHost host(ScriptLimits{}, {dir, std::string(QTRADER_SOURCE_DIR) + "/scripts"});
  TestStrategyContext ctx_keeper, ctx_thief;
  StrategyScript k(host, keeper, ctx_keeper, {}), t(host, thief, ctx_thief, {});
  k.on_bar(kBar);
  t.on_bar(kBar);
  REQUIRE(ctx_keeper.logs.size() == 1);
  CHECK_THAT(ctx_keeper.logs[0].second, Catch::EndsWith("1 true"));  // one instance within a script
  REQUIRE(ctx_thief.logs.size() == 1);
  CHECK_THAT(ctx_thief.logs[0].second, Catch::EndsWith("nil 0 true"));
}
