#include "testkit/test_run_request.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

namespace qtrader::testkit {

namespace fs = std::filesystem;

namespace {

constexpr const char* kKeys =
    "strategy, params, risk, symbols, bars, cash, start, end, warmup, commission, fill_policy, "
    "script_paths, strategy_id";

[[noreturn]] void bad(const std::string& key, const std::string& why) {
  throw std::invalid_argument(fmt::format("run.{}: {}", key, why));
}

const char* kind_name(const ParamValue& v) {
  switch (v.kind) {
    case ParamValue::Kind::Number: return "a number";
    case ParamValue::Kind::Bool: return "a boolean";
    case ParamValue::Kind::String: return "a string";
    case ParamValue::Kind::List: return "a list";
    case ParamValue::Kind::Map: return "a table";
  }
  return "?";
}

const std::string& text(const ParamValue& v, const std::string& key) {
  if (v.kind != ParamValue::Kind::String || v.text.empty()) bad(key, fmt::format("a non-empty string expected, got {}", kind_name(v)));
  return v.text;
}

double number(const ParamValue& v, const std::string& key) {
  if (v.kind != ParamValue::Kind::Number) bad(key, fmt::format("a number expected, got {}", kind_name(v)));
  return v.number;
}

// An empty Lua table reads as an empty list: as a mapping it is an empty map.
ParamMap mapping(const ParamValue& v, const std::string& key) {
  if (v.kind == ParamValue::Kind::List && v.list.empty()) return {};
  if (v.kind != ParamValue::Kind::Map) bad(key, fmt::format("a table of name = value expected, got {}", kind_name(v)));
  return v.map;
}

std::string resolve(const std::string& path, const std::string& test_file) {
  fs::path p(path);
  if (p.is_relative()) p = fs::path(test_file).parent_path() / p;
  return fs::weakly_canonical(fs::absolute(p)).string();
}

std::string existing_file(const std::string& path, const std::string& test_file, const std::string& key) {
  std::string abs = resolve(path, test_file);
  std::error_code ec;
  if (!fs::exists(abs, ec)) bad(key, fmt::format("no such file: {} (paths are relative to the test file)", abs));
  return abs;
}

SymbolBars symbol_bars(const std::string& symbol, const ParamValue& v, const std::string& test_file,
                       const std::string& key) {
  SymbolBars b{symbol, {}, {}};
  if (v.kind == ParamValue::Kind::String) {
    b.csv_path = existing_file(v.text, test_file, key);
  } else if (v.kind == ParamValue::Kind::List && !v.list.empty()) {
    b.rows = v.list;
  } else {
    bad(key, "a CSV file path or a non-empty list of bars expected");
  }
  return b;
}

void read_bars(TestRunRequest& r, const ParamValue& v, const std::string& test_file) {
  if (v.kind == ParamValue::Kind::Map) {
    for (const auto& [symbol, bars] : v.map) r.bars.push_back(symbol_bars(symbol, bars, test_file, "bars." + symbol));
    if (r.symbols.empty())
      for (const auto& b : r.bars) r.symbols.push_back(b.symbol);
    return;
  }
  if (v.kind == ParamValue::Kind::String) {
    const std::string abs = existing_file(v.text, test_file, "bars");
    if (fs::is_directory(abs)) {
      if (r.symbols.empty()) bad("symbols", "needed with bars from a folder (which SYMBOL.csv files to load)");
      r.bars_folder = abs;
      return;
    }
  }
  if (r.symbols.size() != 1)
    bad("symbols", "give exactly one symbol with bars given as one file or one list "
                   "(or give bars = {SYMBOL = ...})");
  r.bars.push_back(symbol_bars(r.symbols.front(), v, test_file, "bars"));
}

}  // namespace

TestRunRequest read_test_run_request(const ParamValue& request, const std::string& test_file) {
  if (request.kind != ParamValue::Kind::Map) throw std::invalid_argument("run: a table of keys expected");
  TestRunRequest r;
  const ParamValue* bars = nullptr;
  for (const auto& [key, v] : request.map) {
    if (key == "strategy") {
      r.strategy = text(v, key);
      r.strategy_file = r.strategy.find('/') != std::string::npos ||
                        (r.strategy.size() > 4 && r.strategy.ends_with(".lua"));
      if (r.strategy_file) r.strategy = existing_file(r.strategy, test_file, key);
    } else if (key == "params") {
      r.params = mapping(v, key);
    } else if (key == "risk") {
      if (v.kind == ParamValue::Kind::String) {
        r.risk = text(v, key);
      } else {
        for (const auto& [k2, v2] : mapping(v, key)) {
          if (k2 == "name") r.risk = text(v2, "risk.name");
          else if (k2 == "params") r.risk_params = mapping(v2, "risk.params");
          else bad("risk." + k2, "unknown key (risk = \"name\" or {name = ..., params = {...}})");
        }
      }
    } else if (key == "symbols") {
      if (v.kind != ParamValue::Kind::List || v.list.empty()) bad(key, "a non-empty list of symbols expected");
      for (std::size_t i = 0; i < v.list.size(); ++i) r.symbols.push_back(text(v.list[i], fmt::format("symbols[{}]", i + 1)));
    } else if (key == "bars") {
      bars = &v;
    } else if (key == "cash") {
      r.cash = number(v, key);
      if (!(r.cash > 0)) bad(key, "must be > 0");
    } else if (key == "start") {
      r.start = text(v, key);
    } else if (key == "end") {
      r.end = text(v, key);
    } else if (key == "warmup") {
      const double w = number(v, key);
      if (!v.is_integer || w < 0) bad(key, "a whole number of bars >= 0 expected");
      r.warmup = static_cast<long long>(w);
    } else if (key == "commission") {
      r.commission = number(v, key);
      if (!(r.commission >= 0)) bad(key, "a rate >= 0 expected (0.001 = 0.1% of traded value)");
    } else if (key == "fill_policy") {
      r.fill_policy = text(v, key);
    } else if (key == "script_paths") {
      if (v.kind != ParamValue::Kind::List) bad(key, "a list of folders expected");
      for (std::size_t i = 0; i < v.list.size(); ++i)
        r.script_paths.push_back(existing_file(text(v.list[i], key), test_file, fmt::format("script_paths[{}]", i + 1)));
    } else if (key == "strategy_id") {
      r.strategy_id = text(v, key);
    } else {
      bad(key, fmt::format("unknown key (known: {})", kKeys));
    }
  }
  if (r.strategy.empty()) bad("strategy", "missing: a strategy name or a .lua file");
  if (!bars) bad("bars", "missing: a CSV file, a folder of SYMBOL.csv, a list of bars or {SYMBOL = bars}");
  read_bars(r, *bars, test_file);
  return r;
}

}  // namespace qtrader::testkit
