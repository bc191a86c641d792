#include "testkit/run_folder.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

namespace qtrader::testkit {

namespace fs = std::filesystem;

namespace {

std::string make_temp_folder() {
  std::string pattern = (fs::temp_directory_path() / "qtrader-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder for the run");
  return pattern;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path);
}

// Strings always quoted, so "10" stays a string; whole numbers as integers,
// so an integer param reads as one; other numbers to the last digit.
void emit(YAML::Emitter& out, const ParamValue& v) {
  switch (v.kind) {
    case ParamValue::Kind::Bool: out << v.boolean; break;
    case ParamValue::Kind::String: out << YAML::DoubleQuoted << v.text; break;
    case ParamValue::Kind::Number:
      if (v.is_integer && std::abs(v.number) < 9e15) out << static_cast<long long>(v.number);
      else out << fmt::format("{}", v.number);
      break;
    case ParamValue::Kind::List:
      out << YAML::BeginSeq;
      for (const auto& item : v.list) emit(out, item);
      out << YAML::EndSeq;
      break;
    case ParamValue::Kind::Map:
      out << YAML::BeginMap;
      for (const auto& [k, item] : v.map) {
        out << YAML::Key << k << YAML::Value;
        emit(out, item);
      }
      out << YAML::EndMap;
      break;
  }
}

void emit_map(YAML::Emitter& out, const ParamMap& m) {
  ParamValue v;
  v.kind = ParamValue::Kind::Map;
  v.map = m;
  emit(out, v);
}

std::string system_yaml_text(const TestRunRequest& r, const SandboxConfig& s) {
  return fmt::format(
      "# Written by qtrader test for one t.run.\n"
      "execution:\n"
      "  fill_policy: {}\n"
      "  commission: {{model: percentage, rate: {}}}\n"
      "output:\n"
      "  event_store: {{backend: sqlite, filename: events.sqlite}}\n"
      "logging: {{level: warn, file: false}}\n"
      "data:\n"
      "  bar_cache: {{enabled: false}}\n"
      "sandbox:\n"
      "  mode: {}\n"
      "  memory_mb: {}\n"
      "  callback_budget_ms: {}\n"
      "  init_budget_ms: {}\n"
      "  max_signals_per_callback: {}\n",
      r.fill_policy, r.commission, s.mode == SandboxMode::Trusted ? "trusted" : "strict", s.memory_mb,
      s.callback_budget_ms, s.init_budget_ms, s.max_signals_per_callback);
}

std::string backtest_yaml_text(const TestRunRequest& r, const std::string& strategy_name,
                          const std::vector<std::string>& script_paths) {
  YAML::Emitter out;
  out.SetDoublePrecision(17);
  out << YAML::BeginMap;
  out << YAML::Key << "start_date" << YAML::Value << r.start;
  out << YAML::Key << "end_date" << YAML::Value << r.end;
  out << YAML::Key << "initial_equity" << YAML::Value << fmt::format("{}", r.cash);
  out << YAML::Key << "warmup_bars" << YAML::Value << r.warmup;
  out << YAML::Key << "script_paths" << YAML::Value << YAML::BeginSeq;
  for (const auto& p : script_paths) out << YAML::DoubleQuoted << p;
  out << YAML::EndSeq;
  out << YAML::Key << "strategies" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "strategy_id" << YAML::Value << YAML::DoubleQuoted << r.strategy_id;
  out << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << strategy_name;
  out << YAML::Key << "universe" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& s : r.symbols) out << YAML::DoubleQuoted << s;
  out << YAML::EndSeq;
  out << YAML::Key << "config" << YAML::Value;
  emit_map(out, r.params);
  out << YAML::EndMap << YAML::EndSeq;
  out << YAML::Key << "risk_policy" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << r.risk;
  out << YAML::Key << "config" << YAML::Value;
  emit_map(out, r.risk_params);
  out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string number_cell(const ParamValue& v, const std::string& what) {
  if (v.kind != ParamValue::Kind::Number) throw std::invalid_argument(what + ": a number expected");
  return fmt::format("{}", v.number);
}

// One inline bar as a CSV row: {time, open, high, low, close[, volume]} or
// {time=, open=, high=, low=, close=, volume=}; open, high and low default to
// the close, volume to 1000000.
std::string csv_row(const ParamValue& row, const std::string& where) {
  const ParamValue* time = nullptr;
  const ParamValue *open = nullptr, *high = nullptr, *low = nullptr, *close = nullptr, *volume = nullptr;
  if (row.kind == ParamValue::Kind::List) {
    if (row.list.size() < 5 || row.list.size() > 6)
      throw std::invalid_argument(where + ": {time, open, high, low, close[, volume]} expected");
    time = &row.list[0], open = &row.list[1], high = &row.list[2], low = &row.list[3], close = &row.list[4];
    if (row.list.size() == 6) volume = &row.list[5];
  } else if (row.kind == ParamValue::Kind::Map) {
    for (const auto& [k, v] : row.map) {
      if (k == "time" || k == "date") time = &v;
      else if (k == "open") open = &v;
      else if (k == "high") high = &v;
      else if (k == "low") low = &v;
      else if (k == "close") close = &v;
      else if (k == "volume") volume = &v;
      else throw std::invalid_argument(fmt::format("{}.{}: unknown bar field (time, open, high, low, close, volume)", where, k));
    }
  } else {
    throw std::invalid_argument(where + ": a bar table expected");
  }
  if (!time || time->kind != ParamValue::Kind::String) throw std::invalid_argument(where + ": time (\"YYYY-MM-DD\") missing");
  if (!close) throw std::invalid_argument(where + ": close missing");
  const std::string c = number_cell(*close, where + ".close");
  return fmt::format("{},{},{},{},{},{}\n", time->text, open ? number_cell(*open, where + ".open") : c,
                     high ? number_cell(*high, where + ".high") : c, low ? number_cell(*low, where + ".low") : c, c,
                     volume ? number_cell(*volume, where + ".volume") : std::string("1000000"));
}

}  // namespace

RunFolder::RunFolder(const TestRunRequest& request, const std::string& strategy_name,
                     const std::vector<std::string>& script_paths, const SandboxConfig& sandbox)
    : path_(make_temp_folder()) {
  try {
    write_file(system_yaml(), system_yaml_text(request, sandbox));
    write_file(backtest_yaml(), backtest_yaml_text(request, strategy_name, script_paths));
    if (!request.bars_folder.empty()) {
      data_dir_ = request.bars_folder;
      return;
    }
    data_dir_ = path_ + "/data";
    fs::create_directories(data_dir_);
    for (const auto& b : request.bars) {
      const std::string target = data_dir_ + "/" + b.symbol + ".csv";
      if (!b.csv_path.empty()) {
        fs::copy_file(b.csv_path, target);
        continue;
      }
      std::string text = "Date,Open,High,Low,Close,Volume\n";
      for (std::size_t i = 0; i < b.rows.size(); ++i)
        text += csv_row(b.rows[i], fmt::format("run.bars.{}[{}]", b.symbol, i + 1));
      write_file(target, text);
    }
  } catch (...) {
    std::error_code ec;
    fs::remove_all(path_, ec);
    throw;
  }
}

RunFolder::~RunFolder() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace qtrader::testkit
