// Test doubles for the interfaces the Lua host binds: a StrategyContext and a
// RiskContext backed by plain maps, and an exact SMA indicator.
#pragma once

#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

#include "qtrader/indicators.hpp"
#include "qtrader/script_api.hpp"

namespace qtrader::test {

inline std::string fixture(const std::string& name) {
  return std::string(QTRADER_FIXTURES_DIR) + "/lua/" + name;
}
inline std::string builtin_strategies() { return std::string(QTRADER_SOURCE_DIR) + "/strategies"; }

// SMA over closes with small-integer prices: the window sum is exact.
class TestSma final : public Indicator {
 public:
  TestSma(SymbolId symbol, int period) : symbol_(symbol), period_(period) {}
  void update(const Bar& bar) override { closes_.push_back(bar.close); }
  double value(int line, int ago) const noexcept override {
    const long end = static_cast<long>(closes_.size()) - ago;  // one past the bar `ago` back
    if (line != 0 || end < period_) return kNaN;
    double sum = 0;
    for (long i = end - period_; i < end; ++i) sum += closes_[i];
    return sum / period_;
  }
  SymbolId symbol() const { return symbol_; }

 private:
  SymbolId symbol_;
  int period_;
  std::vector<double> closes_;
};

class TestStrategyContext final : public StrategyContext {
 public:
  std::string id = "s1";
  Timestamp clock = 0;
  bool warmup = false;
  std::vector<std::string> names{"AAA", "BBB"};
  std::vector<SymbolId> members{0, 1};
  std::map<SymbolId, double> positions;
  double cash_value = 100000.0, equity_value = 100000.0;
  std::vector<SignalRequest> signals;
  std::vector<std::pair<LogLevel, std::string>> logs;
  std::vector<std::unique_ptr<TestSma>> indicators;

  const std::string& strategy_id() const override { return id; }
  Timestamp now() const override { return clock; }
  bool is_warmup() const override { return warmup; }
  std::span<const SymbolId> universe() const override { return members; }
  SymbolId symbol(std::string_view name) const override {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return static_cast<SymbolId>(i);
    return kNoSymbol;
  }
  const std::string& symbol_name(SymbolId s) const override { return names.at(s); }
  double position(SymbolId s) const override {
    auto it = positions.find(s);
    return it == positions.end() ? 0.0 : it->second;
  }
  double cash() const override { return cash_value; }
  double equity() const override { return equity_value; }
  // sma(n) on close is a TestSma; other kinds on close are the engine's, unfed
  // (for checking the arguments a script's call arrives with).
  const Indicator* indicator(std::string_view kind, SymbolId symbol, std::string_view field,
                             std::span<const double> args) override {
    indicator_calls.emplace_back(std::string(kind), std::vector<double>(args.begin(), args.end()));
    if (field != "close") throw std::invalid_argument("test context: indicators on close only");
    if (kind != "sma" || args.size() != 1) {
      engine_indicators.push_back(make_indicator(kind, BarField::Close, args));
      return engine_indicators.back().get();
    }
    indicators.push_back(std::make_unique<TestSma>(symbol, static_cast<int>(args[0])));
    return indicators.back().get();
  }
  std::vector<std::pair<std::string, std::vector<double>>> indicator_calls;  // kind, args
  std::vector<std::unique_ptr<Indicator>> engine_indicators;
  std::uint64_t emit_signal(const SignalRequest& r) override {
    (void)names.at(r.symbol);
    signals.push_back(r);
    return signals.size();
  }
  // Runs inside ctx:log: a host call that takes wall time without the script's CPU.
  std::function<void()> while_logging;
  void log(LogLevel level, std::string_view message) override {
    if (while_logging) while_logging();
    logs.emplace_back(level, message);
  }
  double value(SymbolId, std::string_view, int) const override { return kNaN; }
  void history(SymbolId, std::string_view, int, std::vector<double>& out) const override { out.clear(); }
  void record(std::string_view name, double value, SymbolId symbol) override {
    records.emplace_back(std::string(name), value);
    record_symbols.push_back(symbol);
  }
  void cancel_order(OrderId id) override { cancels.push_back(id); }
  std::vector<std::pair<std::string, double>> records;
  std::vector<SymbolId> record_symbols;
  std::vector<OrderId> cancels;

  void feed(const Bar& bar) {
    for (auto& ind : indicators)
      if (ind->symbol() == bar.symbol) ind->update(bar);
  }
};

class TestRiskContext final : public RiskContext {
 public:
  Timestamp clock = 0;
  std::vector<std::string> names{"AAA", "BBB"};
  std::map<SymbolId, double> positions, prices;
  double cash_value = 100000.0, equity_value = 100000.0, rate = 0.001;
  std::vector<std::pair<LogLevel, std::string>> logs;

  Timestamp now() const override { return clock; }
  const std::string& symbol_name(SymbolId s) const override { return names.at(s); }
  SymbolId symbol(std::string_view name) const override {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return static_cast<SymbolId>(i);
    return kNoSymbol;
  }
  double position(SymbolId s) const override {
    auto it = positions.find(s);
    return it == positions.end() ? 0.0 : it->second;
  }
  double price(SymbolId s) const override {
    auto it = prices.find(s);
    return it == prices.end() ? kNaN : it->second;
  }
  double cash() const override { return cash_value; }
  double equity() const override { return equity_value; }
  double commission(SymbolId, double quantity, double price) const override {
    return std::abs(quantity) * rate * price;
  }
  void log(LogLevel level, std::string_view message) override { logs.emplace_back(level, message); }

  // Closes by symbol, oldest first; history() serves every field from them.
  std::map<SymbolId, std::vector<double>> closes;
  double value(SymbolId s, std::string_view, int ago) const override {
    auto it = closes.find(s);
    if (it == closes.end() || ago >= static_cast<int>(it->second.size())) return kNaN;
    return it->second[it->second.size() - 1 - ago];
  }
  void history(SymbolId s, std::string_view, int n, std::vector<double>& out) const override {
    out.clear();
    auto it = closes.find(s);
    if (it == closes.end()) return;
    const auto& c = it->second;
    for (std::size_t i = c.size() > static_cast<std::size_t>(n) ? c.size() - n : 0; i < c.size(); ++i)
      out.push_back(c[i]);
  }
};

inline ParamValue number_param(double v, int line, std::string file = "bt.yaml") {
  ParamValue p;
  p.kind = ParamValue::Kind::Number;
  p.number = v;
  p.is_integer = v == std::floor(v);
  p.where = {std::move(file), line};
  return p;
}
inline ParamValue string_param(std::string v, int line, std::string file = "bt.yaml") {
  ParamValue p;
  p.kind = ParamValue::Kind::String;
  p.text = std::move(v);
  p.where = {std::move(file), line};
  return p;
}
inline ParamValue bool_param(bool v, int line, std::string file = "bt.yaml") {
  ParamValue p;
  p.kind = ParamValue::Kind::Bool;
  p.boolean = v;
  p.where = {std::move(file), line};
  return p;
}

inline Bar make_bar(SymbolId sym, Timestamp ts, double o, double h, double l, double c, double v) {
  Bar b;
  b.symbol = sym;
  b.ts = ts;
  b.open = o;
  b.high = h;
  b.low = l;
  b.close = c;
  b.volume = v;
  return b;
}

// Runs `body` in a forked child; returns the raw wait status. For attacks that
// would take the whole test program down if the sandbox failed.
template <class F>
int run_in_child(F body) {
  const pid_t pid = fork();
  if (pid == 0) {
    int code = 2;
    try {
      code = body();
    } catch (...) {
      code = 3;
    }
    _exit(code);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

}  // namespace qtrader::test
