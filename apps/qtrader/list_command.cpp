// qtrader list [--script-path DIR]...: every strategy and risk policy the
// registry resolves (the given folders first, then the installed libraries,
// then the built-ins), with its full name,
// file, params (type, default, bounds) and description.
#include <cmath>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/script_catalog.hpp"
#include "qtrader/lua/script_registry.hpp"

namespace {

// YAML flow style, so a default reads as it would be written in `config:`.
std::string format_value(const qtrader::ParamValue& v) {
  switch (v.kind) {
    case qtrader::ParamValue::Kind::Bool: return v.boolean ? "true" : "false";
    case qtrader::ParamValue::Kind::String: return fmt::format("\"{}\"", v.text);
    case qtrader::ParamValue::Kind::List: {
      std::string out;
      for (const auto& item : v.list) out += (out.empty() ? "" : ", ") + format_value(item);
      return "[" + out + "]";
    }
    case qtrader::ParamValue::Kind::Map: {
      std::string out;
      for (const auto& [key, item] : v.map) out += (out.empty() ? "" : ", ") + key + ": " + format_value(item);
      return "{" + out + "}";
    }
    default: return fmt::format("{}", v.number);
  }
}

std::string format_default(const qtrader::ParamSpec& p) { return format_value(p.default_value); }

std::string format_bounds(const qtrader::ParamSpec& p) {
  if (!p.min && !p.max) return "";
  return fmt::format("[{}, {}]", p.min ? fmt::format("{}", *p.min) : "-inf",
                     p.max ? fmt::format("{}", *p.max) : "inf");
}

void print_entry(const qtrader::RegistryEntry& e) {
  fmt::print("{}  ({})\n", e.name, qtrader::to_string(e.kind));
  fmt::print("  file: {}\n", e.path);
  fmt::print("  full name: {}\n", e.qualified_name());
  if (!e.load_error.empty()) {
    fmt::print("  load error: {}\n\n", e.load_error);
    return;
  }
  if (!e.description.empty()) fmt::print("  {}\n", e.description);
  if (e.params.empty()) fmt::print("  params: none\n");
  for (const auto& p : e.params) {
    fmt::print("  {:<22} {:<8} = {:<10} {:<14} {}\n", p.name, qtrader::to_string(p.type), format_default(p),
               format_bounds(p), p.description);
  }
  fmt::print("\n");
}

int list_command(const std::vector<std::string>& script_paths, bool json) {
  try {
    const qtrader::Engine engine;  // only for the install root
    if (json) {
      const auto catalog = qtrader::script_catalog(engine, script_paths);
      for (const auto& w : catalog.warnings) fmt::print(stderr, "warning: {}\n", w);
      fmt::print("{}\n", catalog.json);
      return 0;
    }
    const qtrader::ScriptRegistry registry(qtrader::script_roots(engine, script_paths));
    for (const auto& w : registry.warnings()) fmt::print(stderr, "warning: {}\n", w);
    for (auto kind : {qtrader::ScriptKind::Strategy, qtrader::ScriptKind::RiskPolicy}) {
      fmt::print("# {}\n\n", kind == qtrader::ScriptKind::Strategy ? "strategies" : "risk policies");
      for (const auto& e : registry.list())
        if (e.kind == kind) print_entry(e);
    }
    return 0;
  } catch (const qtrader::ConfigError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;  // a script folder's qtrader-lib.yaml
  } catch (const qtrader::ScriptError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 2;  // e.g. two scripts with one name
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return 1;
  }
}

}  // namespace

namespace qtrader::cli {

void add_list_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::vector<std::string> paths;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* list = app.add_subcommand("list", "List the strategies and risk policies scripts resolve to");
  list->add_option("--script-path", args->paths, "A folder of scripts, searched before the built-ins (repeatable)")
      ->check(CLI::ExistingDirectory);
  list->add_flag("--json", args->json, "A JSON array on stdout instead of text (docs/cli-json.md)");
  list->callback([args, &exit_code] { exit_code = list_command(args->paths, args->json); });
}

}  // namespace qtrader::cli
