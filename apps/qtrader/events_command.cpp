// qtrader events RUN_DIR: the run's events as contract instances
// (contracts/, docs/contracts.md), in seq order, bars included.
#include <algorithm>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "qtrader/errors.hpp"
#include "qtrader/time.hpp"
#include "store/bar_refs.hpp"
#include "store/contract_schemas.hpp"
#include "store/event_export.hpp"

namespace qtrader::cli {

namespace {

// "fill,order" and repeated options alike.
std::vector<std::string> split_list(const std::vector<std::string>& given) {
  std::vector<std::string> out;
  for (const auto& g : given) {
    std::size_t at = 0;
    while (at <= g.size()) {
      const std::size_t comma = std::min(g.find(',', at), g.size());
      if (comma > at) out.push_back(g.substr(at, comma - at));
      at = comma + 1;
    }
  }
  return out;
}

// 0 when every event is valid, 1 when one is not, 2 when the check cannot run.
int validate_store(const std::string& store, const std::string& contracts_dir) {
  try {
    const auto dir = contracts_dir.empty() ? contracts::default_contracts_dir() : std::filesystem::path(contracts_dir);
    const auto schemas = contracts::ContractSchemas::load(dir);
    const auto result = contracts::validate_events(store, schemas);
    for (const auto& bad : result.invalid)
      for (const auto& problem : bad.problems)
        fmt::print("{}: event {} ({}): {}\n", store, bad.seq, bad.type, problem);
    if (result.invalid_count > result.invalid.size())
      fmt::print("… and {} more invalid events\n", result.invalid_count - result.invalid.size());
    fmt::print("{} events checked against {} ({} schemas): {} invalid\n", result.events, dir.string(),
               schemas.size(), result.invalid_count);
    return result.invalid_count == 0 ? 0 : 1;
  } catch (const DataError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}: {}\n", store, e.what());
  }
  return 2;
}

}  // namespace

void add_events_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string run_dir;
    std::vector<std::string> types, symbols;
    std::string from, to, format = "jsonl";
    bool validate = false, copy_bars = false;
    std::string contracts;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("events", "Stream a run's events as contract instances (docs/contracts.md)");
  cmd->add_option("run_dir", args->run_dir, "The run's results folder")->required();
  cmd->add_option("--type", args->types, "Only these event types, comma-separated (fill,order)");
  cmd->add_option("--symbol", args->symbols, "Only events of these symbols, comma-separated");
  cmd->add_option("--from", args->from, "Only events at or after this time (YYYY-MM-DD[ HH:MM:SS], UTC)");
  cmd->add_option("--to", args->to, "Only events at or before this time (YYYY-MM-DD[ HH:MM:SS], UTC)");
  cmd->add_option("--format", args->format, "jsonl (default): one JSON object a line; csv: the envelope's columns and data as JSON")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  cmd->add_flag("--validate", args->validate,
                "Check every event against the contracts instead of printing them: exit 1 naming each invalid event");
  cmd->add_flag("--copy-bars", args->copy_bars,
                "Copy the bars a compact store keeps by reference (in the bar cache) into its `bars` table, "
                "so the `bar_rows` SQL view shows them and the file no longer needs the cache; prints nothing else");
  cmd->add_option("--contracts", args->contracts, "The contracts folder for --validate (default: the data folder's contracts/)");
  cmd->callback([args, &exit_code] {
    exit_code = 2;
    contracts::ExportFilter filter;
    filter.types = split_list(args->types);
    for (const auto& t : filter.types) {
      const auto& known = contracts::event_types();
      if (std::find(known.begin(), known.end(), t) == known.end()) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        fmt::print(stderr, "error: --type: unknown event type \"{}\" (one of {})\n", t, list);
        return;
      }
    }
    filter.symbols = split_list(args->symbols);
    for (auto [text, bound, name] : {std::tuple{&args->from, &filter.from, "--from"},
                                     std::tuple{&args->to, &filter.to, "--to"}}) {
      if (text->empty()) continue;
      *bound = parse_timestamp(*text);
      if (!*bound) {
        fmt::print(stderr, "error: {}: \"{}\" is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM:SS)\n", name, *text);
        return;
      }
    }
    const std::string store = (std::filesystem::path(args->run_dir) / "events.sqlite").string();
    if (!std::filesystem::exists(store)) {
      fmt::print(stderr, "error: {}: no events.sqlite (not a run's results folder, or its event store was in memory)\n",
                 args->run_dir);
      return;
    }
    if (args->validate) {
      exit_code = validate_store(store, args->contracts);
      return;
    }
    if (args->copy_bars) {
      try {
        const std::uint64_t copied = bar_refs::copy_into_store(store);
        fmt::print(stderr, "{}: {} bars copied from the bar cache\n", store, copied);
        exit_code = 0;
      } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        exit_code = 1;
      }
      return;
    }
    try {
      contracts::export_events(store, filter,
                               args->format == "csv" ? contracts::ExportFormat::Csv : contracts::ExportFormat::Jsonl,
                               stdout);
      std::fflush(stdout);
      exit_code = 0;
    } catch (const DataError& e) {
      fmt::print(stderr, "error: {}\n", e.what());
    } catch (const std::exception& e) {
      fmt::print(stderr, "error: {}: {}\n", store, e.what());
      exit_code = 1;
    }
  });
}

}  // namespace qtrader::cli
