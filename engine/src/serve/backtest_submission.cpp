#include "serve/backtest_submission.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/param_overrides.hpp"
#include "qtrader/config.hpp"
#include "qtrader/errors.hpp"
#include "serve/http_types.hpp"

namespace qtrader::serve {

namespace fs = std::filesystem;

namespace {

constexpr const char* kOwnDataFiles =
    "a submitted backtest cannot name data files: its data come from the server's data_sources.yaml "
    "(GET /api/data/sources)";

constexpr const char* kOwnScriptPaths =
    "a submitted backtest cannot name script folders: its scripts come from the server's --script-path "
    "folders and the built-ins";

bool is_yaml_type(const std::string& content_type) {
  const std::string type = content_type.substr(0, content_type.find(';'));
  return type == "application/yaml" || type == "application/x-yaml" || type == "text/yaml" ||
         type == "text/x-yaml";
}

// A saved backtest's name: a file name of the backtests folder, never a path.
bool is_plain_name(const std::string& name) {
  if (name.empty() || name.size() > 128 || name[0] == '.') return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  return true;
}

double read_acceleration(const nlohmann::json& value) {
  if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0)
    throw SubmissionError("acceleration_factor", "acceleration_factor: expected a number >= 0 "
                                                 "(simulated seconds per wall second; 0 = full speed)");
  return value.get<double>();
}

// {"fast": 5, "risk.quantity": 10}: each value as `--param NAME=VALUE` reads it.
void read_params(const nlohmann::json& params, BacktestSubmission& s) {
  if (!params.is_object()) throw SubmissionError("params", "params: expected an object of NAME: value");
  for (const auto& [name, value] : params.items()) {
    std::string text;
    if (value.is_string()) text = value.get<std::string>();
    else if (value.is_boolean() || value.is_number()) text = value.dump();
    else throw SubmissionError("params." + name, "params." + name + ": expected a string, number or boolean");
    s.params.push_back({name, text});
  }
  s.params_json = params.dump();
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The server's script roots, as the last key of the file: lines above keep
// their numbers, so messages about the submitted text point at its lines.
std::string with_script_roots(const std::string& yaml, const ServeConfig& config) {
  std::istringstream lines(yaml);
  int number = 0;
  for (std::string line; std::getline(lines, line);) {
    ++number;
    if (line.rfind("script_paths", 0) == 0 && line.find(':') != std::string::npos)
      throw SubmissionError("script_paths", "backtest:" + std::to_string(number) + ": key 'script_paths': " +
                                                kOwnScriptPaths);
  }
  if (config.script_paths.empty()) return yaml;
  std::string out = yaml;
  if (!out.empty() && out.back() != '\n') out += '\n';
  out += "script_paths: " + nlohmann::json(config.script_paths).dump() + "\n";
  return out;
}

// The CLI's message, with the temporary file's path replaced by `shown_as`.
std::string shown(const std::string& message, const std::string& path, const std::string& shown_as) {
  std::string out = message;
  for (std::size_t at = out.find(path); at != std::string::npos; at = out.find(path, at + shown_as.size()))
    out.replace(at, path.size(), shown_as);
  return out;
}

}  // namespace

BacktestSubmission read_submission(const std::string& body, const std::string& content_type,
                                   const std::string& target, const ServeConfig& config) {
  BacktestSubmission s;
  s.params_json = "{}";
  if (is_yaml_type(content_type)) {
    s.submitted = body;
    const std::string accel = query_value(target, "acceleration_factor");
    if (!accel.empty()) {
      try {
        std::size_t used = 0;
        const double v = std::stod(accel, &used);
        if (used != accel.size()) throw std::invalid_argument(accel);
        s.acceleration_factor = read_acceleration(v);
      } catch (const std::logic_error&) {
        throw SubmissionError("acceleration_factor", "acceleration_factor: expected a number >= 0");
      }
    }
    s.file_text = with_script_roots(body, config);
    return s;
  }
  nlohmann::json request;
  try {
    request = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    throw SubmissionError("body", std::string("body: not JSON (send a backtest as YAML with Content-Type: "
                                              "application/yaml): ") + e.what());
  }
  if (!request.is_object()) throw SubmissionError("body", "body: expected a JSON object");
  for (const auto& [key, value] : request.items())
    if (key != "backtest" && key != "name" && key != "params" && key != "acceleration_factor")
      throw SubmissionError(key, "unknown field '" + key + "' (expected backtest or name, params, "
                                 "acceleration_factor)");
  if (request.contains("acceleration_factor")) s.acceleration_factor = read_acceleration(request["acceleration_factor"]);
  if (request.contains("params")) read_params(request["params"], s);
  const bool has_backtest = request.contains("backtest"), has_name = request.contains("name");
  if (has_backtest == has_name)
    throw SubmissionError("backtest", "expected exactly one of 'backtest' (YAML text or a JSON object) and "
                                      "'name' (a saved backtest)");
  if (has_name) {
    const auto& name = request["name"];
    if (!name.is_string()) throw SubmissionError("name", "name: expected a string");
    const std::string n = name.get<std::string>();
    const fs::path file = fs::path(config.backtests_dir) / (n + ".yaml");
    std::error_code ec;
    if (config.backtests_dir.empty() || !is_plain_name(n) || !fs::is_regular_file(fs::symlink_status(file, ec)))
      throw SubmissionError("name", "name: no saved backtest '" + n + "'");
    s.saved_path = file.string();
    s.submitted = slurp(file);
    s.file_text = s.submitted;
    return s;
  }
  const auto& backtest = request["backtest"];
  if (backtest.is_string()) {
    s.submitted = backtest.get<std::string>();
    s.file_text = with_script_roots(s.submitted, config);
  } else if (backtest.is_object()) {
    s.submitted = backtest.dump(2);
    nlohmann::json with_roots = backtest;
    if (with_roots.contains("script_paths"))
      throw SubmissionError("script_paths", std::string("backtest.script_paths: ") + kOwnScriptPaths);
    if (!config.script_paths.empty())
      with_roots["script_paths"] = config.script_paths;
    s.file_text = with_roots.dump(2) + "\n";
  } else {
    throw SubmissionError("backtest", "backtest: expected YAML text or a JSON object");
  }
  return s;
}

void check_submission(const std::string& backtest_path, const std::string& shown_as,
                      const BacktestSubmission& submission, const ServeConfig& config) {
  try {
    const SystemConfig system = load_system_config(config.system_config);
    BacktestConfig backtest = load_backtest_config(backtest_path);
    if (submission.saved_path.empty()) {
      // Scripts come from the server's roots only (with_script_roots refused
      // the key in the text; a flow mapping can still hold it).
      if (config.script_paths.empty() && !backtest.script_paths.empty()) {
        const SourceLocation& w = backtest.script_paths_where.front();
        throw ConfigError(w.file, w.line, "script_paths", kOwnScriptPaths);
      }
      // Nor files: an inline source or a benchmark file would let a request
      // read any file the server can (docs/serve.md "Security").
      for (const SourceUse& use : backtest.sources)
        if (use.inline_source) throw ConfigError(use.where.file, use.where.line, "data.sources", kOwnDataFiles);
      if (!backtest.benchmark.file.empty())
        throw ConfigError(backtest.benchmark.where.file, backtest.benchmark.where.line, "benchmark", kOwnDataFiles);
    }
    DataSourcesConfig sources;
    if (needs_sources_file(backtest)) {
      const DataSourcesConfig file = load_data_sources(system.data.sources_config, system.data.default_timezone);
      sources = sources_for(backtest, &file, system.data.default_mode, system.data.default_timezone);
    } else {
      sources = sources_for(backtest, nullptr, system.data.default_mode, system.data.default_timezone);
    }
    apply_param_overrides(backtest, submission.params);
    validate_backtest(backtest, sources);
    check_backtest_paths(backtest, sources);
  } catch (const ConfigError& e) {
    const bool in_params = e.file() == "--param";
    throw SubmissionError(in_params ? "params" : (e.key().empty() ? "backtest" : e.key()),
                          shown(e.what(), backtest_path, shown_as));
  } catch (const DataError& e) {
    throw SubmissionError("backtest", shown(e.what(), backtest_path, shown_as));
  }
}

}  // namespace qtrader::serve
