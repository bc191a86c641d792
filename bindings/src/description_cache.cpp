#include "description_cache.hpp"

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xxhash.h>

#include "qtrader/errors.hpp"
#include "host_functions.hpp"
#include "qtrader/version.hpp"
#include "sandbox_prelude.hpp"

namespace qtrader {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// Bumped when the entry layout changes.
constexpr int kFormat = 1;

std::uint64_t xxh(std::string_view s, std::uint64_t seed = 0) { return XXH64(s.data(), s.size(), seed); }

// Doubles as their bits, so a cached default or bound is the very value the script gave.
json number(double d) { return std::bit_cast<std::uint64_t>(d); }
double number(const json& j) { return std::bit_cast<double>(j.get<std::uint64_t>()); }

json value_json(const ParamValue& v) {
  json j{{"k", static_cast<int>(v.kind)}, {"int", v.is_integer}, {"file", v.where.file}, {"line", v.where.line}};
  switch (v.kind) {
    case ParamValue::Kind::Number: j["n"] = number(v.number); break;
    case ParamValue::Kind::Bool: j["b"] = v.boolean; break;
    case ParamValue::Kind::String: j["s"] = v.text; break;
    case ParamValue::Kind::List:
      j["l"] = json::array();
      for (const auto& e : v.list) j["l"].push_back(value_json(e));
      break;
    case ParamValue::Kind::Map:
      j["m"] = json::array();
      for (const auto& [k, e] : v.map) j["m"].push_back({k, value_json(e)});
      break;
  }
  return j;
}

ParamValue value_from(const json& j) {
  ParamValue v;
  v.kind = static_cast<ParamValue::Kind>(j.at("k").get<int>());
  v.is_integer = j.at("int").get<bool>();
  v.where.file = j.at("file").get<std::string>();
  v.where.line = j.at("line").get<int>();
  switch (v.kind) {
    case ParamValue::Kind::Number: v.number = number(j.at("n")); break;
    case ParamValue::Kind::Bool: v.boolean = j.at("b").get<bool>(); break;
    case ParamValue::Kind::String: v.text = j.at("s").get<std::string>(); break;
    case ParamValue::Kind::List:
      for (const auto& e : j.at("l")) v.list.push_back(value_from(e));
      break;
    case ParamValue::Kind::Map:
      for (const auto& e : j.at("m")) v.map.emplace_back(e.at(0).get<std::string>(), value_from(e.at(1)));
      break;
    default: throw std::runtime_error("bad param kind");
  }
  return v;
}

std::string file_digest(const std::string& path) {
  std::string text;
  return read_text_file(path, text) ? fmt::format("{:016x}", xxh(text)) : std::string();
}

}  // namespace

DescriptionCache::DescriptionCache(std::string dir, std::uint64_t environment)
    : dir_(std::move(dir)), environment_(environment) {}

std::string DescriptionCache::file_for(const std::string& path, std::string_view source) const {
  const std::uint64_t where = xxh(path, environment_);
  return (fs::path(dir_) / fmt::format("{:016x}-{:016x}.json", xxh(source, where), source.size())).string();
}

std::optional<RegistryEntry> DescriptionCache::find(const std::string& path, std::string_view source) const {
  if (dir_.empty()) return std::nullopt;
  std::ifstream in(file_for(path, source), std::ios::binary);
  if (!in) return std::nullopt;
  try {
    const json j = json::parse(in);
    // The key names the inputs; the entry repeats them, so a colliding or
    // hand-edited file is never taken for another script's description.
    if (j.at("format").get<int>() != kFormat || j.at("path").get<std::string>() != path ||
        j.at("source").get<std::string>() != fmt::format("{:016x}", xxh(source)))
      return std::nullopt;
    for (const auto& r : j.at("required"))
      if (file_digest(r.at(0).get<std::string>()) != r.at(1).get<std::string>()) return std::nullopt;
    RegistryEntry e;
    e.path = path;
    e.name = j.at("name").get<std::string>();
    e.kind = j.at("kind").get<std::string>() == "risk_policy" ? ScriptKind::RiskPolicy : ScriptKind::Strategy;
    e.description = j.at("description").get<std::string>();
    for (const auto& p : j.at("params")) {
      ParamSpec s;
      s.name = p.at("name").get<std::string>();
      s.type = static_cast<ParamType>(p.at("type").get<int>());
      s.default_value = value_from(p.at("default"));
      if (!p.at("min").is_null()) s.min = number(p.at("min"));
      if (!p.at("max").is_null()) s.max = number(p.at("max"));
      s.description = p.at("description").get<std::string>();
      e.params.push_back(std::move(s));
    }
    return e;
  } catch (const std::exception&) {
    return std::nullopt;  // unreadable: described afresh and rewritten
  }
}

void DescriptionCache::store(const std::string& path, std::string_view source, const RegistryEntry& entry,
                             const std::vector<std::string>& required_files) const {
  if (dir_.empty() || !entry.load_error.empty()) return;
  json params = json::array();
  for (const auto& p : entry.params)
    params.push_back({{"name", p.name},
                      {"type", static_cast<int>(p.type)},
                      {"default", value_json(p.default_value)},
                      {"min", p.min ? number(*p.min) : json(nullptr)},
                      {"max", p.max ? number(*p.max) : json(nullptr)},
                      {"description", p.description}});
  json required = json::array();
  for (const auto& r : required_files) {
    const std::string digest = file_digest(r);
    if (digest.empty()) return;
    required.push_back({r, digest});
  }
  const json j{{"format", kFormat},
               {"path", path},
               {"source", fmt::format("{:016x}", xxh(source))},
               {"name", entry.name},
               {"kind", to_string(entry.kind)},
               {"description", entry.description},
               {"params", params},
               {"required", required}};
  std::error_code ec;
  fs::create_directories(dir_, ec);
  const std::string target = file_for(path, source);
  // Written aside and renamed: a concurrent run sees the whole entry or none.
  // Its own name per process and thread: forked sweep workers and engines on
  // two threads may store the same description at once.
  const std::string temp = fmt::format("{}.{}-{}.tmp", target, ::getpid(),
                                       std::hash<std::thread::id>{}(std::this_thread::get_id()));
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out << j.dump();
    if (!out) {
      out.close();
      fs::remove(temp, ec);
      return;
    }
  }
  fs::rename(temp, target, ec);
  if (ec) fs::remove(temp, ec);
}

std::uint64_t DescriptionCache::environment_key(const std::vector<std::string>& module_roots,
                                                std::string_view scopes, std::uint64_t random_seed) {
  std::string key = fmt::format("qtrader {} {}|format {}|seed {}|prelude {:016x}|scopes {}", version(),
                                git_commit(), kFormat, random_seed, xxh(kSandboxPrelude), scopes);
  // Which file a `require` finds depends on the files present, not only on
  // the one it found: a new module file may shadow it.
  for (const auto& root : module_roots) {
    std::vector<std::string> names;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->path().extension() == ".lua") names.push_back(it->path().string());
    std::sort(names.begin(), names.end());
    key += "|root " + root;
    for (const auto& n : names) key += "\n" + n;
  }
  return xxh(key);
}

std::string default_description_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg && xdg[0] == '/') return (fs::path(xdg) / "qtrader" / "scripts").string();
  const char* home = std::getenv("HOME");
  if (home && home[0] != '\0') return (fs::path(home) / ".cache" / "qtrader" / "scripts").string();
  return "";
}

}  // namespace qtrader
