#include "store/contract_schemas.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "qtrader/data_home.hpp"
#include "qtrader/errors.hpp"

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace qtrader::contracts {

namespace {

// Our schemas nest $refs a few levels (fill -> envelope -> $defs); a cycle
// would be a mistake in contracts/, reported rather than followed forever.
constexpr int kMaxRefDepth = 16;

struct Document {
  fs::path file;
  Json json;
};

// "../envelope.v1.json#/$defs/id" from `from` -> (file, pointer).
std::pair<fs::path, std::string> split_ref(const fs::path& from, const std::string& ref) {
  const auto hash = ref.find('#');
  const std::string file_part = ref.substr(0, hash);
  const std::string pointer = hash == std::string::npos ? "" : ref.substr(hash + 1);
  const fs::path file = file_part.empty() ? from : (from.parent_path() / file_part).lexically_normal();
  return {file, pointer};
}

class Bundler {
 public:
  explicit Bundler(const std::map<fs::path, Document>& docs) : docs_(docs) {}

  // `node` (of the document `file`) with every $ref replaced by what it names.
  Json bundle(const Json& node, const fs::path& file, int depth) const {
    if (depth > kMaxRefDepth)
      throw DataError(file.string(), 0, "$ref nested more than 16 deep (a cycle?)");
    if (node.is_array()) {
      Json out = Json::array();
      for (const auto& item : node) out.push_back(bundle(item, file, depth));
      return out;
    }
    if (!node.is_object()) return node;
    Json out = Json::object();
    for (const auto& [key, value] : node.items()) {
      if (key == "$ref" || key == "$id" || key == "$schema" || key == "$defs") continue;
      // In 2020-12 `format` is an annotation, not an assertion (as Python's
      // jsonschema reads it); valijson would assert it, building a regex per value.
      if (key == "format" && value.is_string()) continue;
      // `properties` maps names to schemas; its keys are not keywords.
      out[key] = bundle(value, file, depth);
    }
    if (auto ref = node.find("$ref"); ref != node.end() && ref->is_string()) {
      const auto [target_file, pointer] = split_ref(file, ref->get<std::string>());
      const auto doc = docs_.find(target_file);
      if (doc == docs_.end())
        throw DataError(file.string(), 0, fmt::format("$ref \"{}\": no schema {}", ref->get<std::string>(),
                                                      target_file.string()));
      const Json* target = &doc->second.json;
      if (!pointer.empty()) {
        const Json::json_pointer ptr(pointer);
        if (!target->contains(ptr))
          throw DataError(file.string(), 0, fmt::format("$ref \"{}\": {} has nothing at {}",
                                                        ref->get<std::string>(), target_file.string(), pointer));
        target = &target->at(ptr);
      }
      Json all = out.contains("allOf") ? out["allOf"] : Json::array();
      all.push_back(bundle(*target, target_file, depth + 1));
      out["allOf"] = std::move(all);
    }
    return out;
  }

 private:
  const std::map<fs::path, Document>& docs_;
};

std::string where_of(const std::vector<std::string>& context) {
  // valijson's context starts with "<root>" and names each step as [name].
  std::string out;
  for (std::size_t i = 1; i < context.size(); ++i) {
    std::string step = context[i];
    if (step.size() >= 2 && step.front() == '[' && step.back() == ']') step = step.substr(1, step.size() - 2);
    if (step.size() >= 2 && step.front() == '"' && step.back() == '"') step = step.substr(1, step.size() - 2);
    out += (out.empty() ? "" : "/") + step;
  }
  return out.empty() ? "(event)" : out;
}

}  // namespace

struct ContractSchemas::Impl {
  // "fill.v1" -> its bundled schema (a valijson::Schema does not move).
  std::map<std::string, std::unique_ptr<valijson::Schema>> by_name;
  // One validator for every event: it caches each `pattern`'s std::regex,
  // whose construction was most of the cost (1.6 ms an event without it).
  valijson::Validator validator{valijson::Validator::kStrongTypes};
};

ContractSchemas::ContractSchemas(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ContractSchemas::ContractSchemas(ContractSchemas&&) noexcept = default;
ContractSchemas& ContractSchemas::operator=(ContractSchemas&&) noexcept = default;
ContractSchemas::~ContractSchemas() = default;

std::size_t ContractSchemas::size() const { return impl_->by_name.size(); }

ContractSchemas ContractSchemas::load(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw DataError(dir.string(), 0, "no contracts folder");
  std::map<fs::path, Document> docs;
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    const fs::path& p = entry.path();
    const std::string name = p.filename().string();
    if (!entry.is_regular_file() || p.extension() != ".json" || name.find(".v") == std::string::npos) continue;
    if (p.lexically_relative(dir).begin()->string() == "examples") continue;
    files.push_back(p.lexically_normal());
  }
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    std::ifstream in(p);
    Json json = Json::parse(in, nullptr, false);
    if (json.is_discarded() || !json.is_object()) throw DataError(p.string(), 0, "not a JSON object");
    docs.emplace(p, Document{p, std::move(json)});
  }
  auto impl = std::make_unique<Impl>();
  const Bundler bundler(docs);
  for (const auto& [path, doc] : docs) {
    const Json bundled = bundler.bundle(doc.json, path, 0);
    auto schema = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    const valijson::adapters::NlohmannJsonAdapter adapter(bundled);
    try {
      parser.populateSchema(adapter, *schema);
    } catch (const std::exception& e) {
      throw DataError(path.string(), 0, std::string("schema not understood: ") + e.what());
    }
    std::string name = path.filename().string();
    name.resize(name.size() - std::string(".json").size());  // fill.v1
    impl->by_name.emplace(std::move(name), std::move(schema));
  }
  if (!impl->by_name.count("envelope.v1")) throw DataError(dir.string(), 0, "no envelope.v1.json");
  return ContractSchemas(std::move(impl));
}

std::vector<std::string> ContractSchemas::problems(const std::string& event_json, std::size_t max) const {
  std::vector<std::string> out;
  const Json instance = Json::parse(event_json, nullptr, false);
  if (instance.is_discarded()) return {"(event): not JSON"};
  const valijson::adapters::NlohmannJsonAdapter target(instance);
  const auto check = [&](const valijson::Schema& schema) {
    valijson::ValidationResults results;
    if (impl_->validator.validate(schema, target, &results)) return;
    // valijson reports the failing keyword first, then each enclosing schema
    // that failed because of it ("Failed to validate against ..."): those
    // say nothing more, unless nothing else was said.
    std::vector<std::string> wrappers;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      std::string line = where_of(error.context) + ": " + error.description;
      if (error.description.rfind("Failed to validate against", 0) == 0)
        wrappers.push_back(std::move(line));
      else if (out.size() < max)
        out.push_back(std::move(line));
    }
    if (out.empty() && !wrappers.empty()) out.push_back(std::move(wrappers.front()));
  };
  check(*impl_->by_name.at("envelope.v1"));
  const auto name = instance.is_object() ? instance.find("schema") : instance.end();
  if (name == instance.end() || !name->is_string()) {
    if (out.size() < max) out.push_back("schema: missing");
  } else if (auto schema = impl_->by_name.find(name->get<std::string>()); schema == impl_->by_name.end()) {
    if (out.size() < max) out.push_back(fmt::format("schema: no contract named \"{}\"", name->get<std::string>()));
  } else {
    check(*schema->second);
  }
  return out;
}

fs::path default_contracts_dir() { return fs::path(find_data_home()) / "contracts"; }

}  // namespace qtrader::contracts
