#include "engine/checkpoint_inputs.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "qtrader/hash.hpp"

namespace qtrader {

namespace fs = std::filesystem;
using Json = nlohmann::json;

CheckpointInputs checkpoint_inputs(const PreparedRun& run, const RunOptions& options,
                                   const std::string& data_dir) {
  CheckpointInputs in;
  in.backtest = fs::absolute(run.backtest_path).lexically_normal().string();
  in.system = fs::absolute(run.system_path).lexically_normal().string();
  in.data_dir = data_dir.empty() ? std::string() : fs::absolute(data_dir).lexically_normal().string();
  in.params = options.params;
  in.start_date = options.start_date;
  in.end_date = options.end_date;
  in.report = options.report;
  in.validate_events = options.validate_events;
  in.allow_unlocked = options.allow_unlocked;
  const std::string sources = run.system.data.sources_config;
  in.hashes.emplace_back(
      "config", hash_hex(fnv1a64(file_hash_hex(run.backtest_path) + file_hash_hex(run.system_path) +
                                 (sources.empty() || !fs::exists(sources) ? "" : file_hash_hex(sources)))));
  for (const ScriptUse& s : run.scripts->scripts_used()) in.hashes.emplace_back("script:" + s.name, s.hash);
  for (SymbolId s = 0; s < run.universe.symbols.size(); ++s) {
    const std::string& name = run.universe.symbols.name(s);
    const std::string file = run.universe.source_of[s]->file_for(name);
    in.hashes.emplace_back("data:" + name, fs::is_regular_file(file) ? file_hash_hex(file) : "");
  }
  return in;
}

std::string to_json(const CheckpointInputs& in) {
  Json params = Json::array();
  for (const auto& p : in.params) params.push_back({p.name, p.value});
  Json hashes = Json::array();
  for (const auto& [name, hash] : in.hashes) hashes.push_back({name, hash});
  return Json{{"backtest", in.backtest},
              {"system", in.system},
              {"data_dir", in.data_dir},
              {"params", params},
              {"start_date", in.start_date},
              {"end_date", in.end_date},
              {"report", in.report},
              {"validate_events", in.validate_events},
              {"allow_unlocked", in.allow_unlocked},
              {"hashes", hashes}}
      .dump();
}

CheckpointInputs inputs_from_json(const std::string& text) {
  const Json j = Json::parse(text);
  CheckpointInputs in;
  in.backtest = j.at("backtest").get<std::string>();
  in.system = j.at("system").get<std::string>();
  in.data_dir = j.at("data_dir").get<std::string>();
  for (const Json& p : j.at("params"))
    in.params.push_back({p[0].get<std::string>(), p[1].get<std::string>()});
  in.start_date = j.at("start_date").get<Timestamp>();
  in.end_date = j.at("end_date").get<Timestamp>();
  in.report = j.at("report").get<bool>();
  in.validate_events = j.at("validate_events").get<bool>();
  in.allow_unlocked = j.at("allow_unlocked").get<bool>();
  for (const Json& h : j.at("hashes"))
    in.hashes.emplace_back(h[0].get<std::string>(), h[1].get<std::string>());
  return in;
}

void check_inputs_unchanged(const CheckpointInputs& recorded, const CheckpointInputs& now) {
  std::vector<std::string> changed;
  for (const auto& [name, hash] : recorded.hashes) {
    const auto it =
        std::find_if(now.hashes.begin(), now.hashes.end(), [&](const auto& h) { return h.first == name; });
    if (it == now.hashes.end())
      changed.push_back(name + " (gone)");
    else if (it->second != hash)
      changed.push_back(name);
  }
  for (const auto& [name, hash] : now.hashes)
    if (std::none_of(recorded.hashes.begin(), recorded.hashes.end(),
                     [&](const auto& h) { return h.first == name; }))
      changed.push_back(name + " (new)");
  if (changed.empty()) return;
  std::string list;
  for (const auto& c : changed) list += (list.empty() ? "" : ", ") + c;
  throw std::runtime_error(fmt::format(
      "cannot resume: the run's inputs changed since its checkpoint ({}); rerun it with qtrader run", list));
}

}  // namespace qtrader
