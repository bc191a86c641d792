// The contracts of contracts/ (docs/contracts.md) loaded for validation in
// C++, with valijson. Valijson reads draft 7, where `$ref` hides its sibling
// keywords and `$id` sets no base; our schemas are draft 2020-12, where a
// `$ref` applies beside its siblings. So each schema is bundled when loaded:
// every `$ref` is replaced by the schema it names (resolved against the
// referring file), wrapped in an `allOf` beside the siblings, which is what
// 2020-12 means by it. The keywords the contracts use (type, enum, const,
// required, properties, additionalProperties, minimum, exclusiveMinimum,
// exclusiveMaximum, minLength, pattern, anyOf) mean the same in both drafts;
// `format`, an annotation in 2020-12 (and to Python's jsonschema), is
// dropped. tests/contracts checks the verdicts on the examples and on one
// invalid instance per schema, as validate_events.py does.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace qtrader::contracts {

class ContractSchemas {
 public:
  // Reads every `*.vN.json` under `dir` (not examples/). Throws DataError
  // naming the file for one that does not parse or refers to a missing schema.
  static ContractSchemas load(const std::filesystem::path& dir);

  ContractSchemas(ContractSchemas&&) noexcept;
  ContractSchemas& operator=(ContractSchemas&&) noexcept;
  ~ContractSchemas();

  // What is wrong with one event (its JSON text) against the envelope and the
  // schema its `schema` field names: "where: reason" each, at most `max`.
  // Empty when it is valid.
  std::vector<std::string> problems(const std::string& event_json, std::size_t max = 5) const;

  std::size_t size() const;  // how many schemas were loaded

 private:
  struct Impl;
  explicit ContractSchemas(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The contracts folder of the data home (share/qtrader/contracts).
std::filesystem::path default_contracts_dir();

}  // namespace qtrader::contracts
