// qtrader lib add|list|remove|info|lock: installing libraries of scripts and
// locking a backtest to their content (docs/libraries.md).
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "exit_status.hpp"
#include "library/content_hash.hpp"
#include "library/library_store.hpp"
#include "library/lock_file.hpp"
#include "qtrader/engine.hpp"
#include "qtrader/lua/script_registry.hpp"

namespace {

namespace fs = std::filesystem;

struct LibArgs {
  std::string spec, name, backtest;
  bool project = false, force = false;
  qtrader::EngineOptions engine;
};

// The folder a command installs into or removes from.
std::string target_dir(const LibArgs& a) {
  return a.project ? qtrader::project_library_dir(".") : qtrader::user_library_dir();
}

// Project libraries first: a run finds them first.
std::vector<std::pair<std::string, std::string>> library_dirs() {
  return {{"project", qtrader::project_library_dir(".")}, {"user", qtrader::user_library_dir()}};
}

int add(const LibArgs& a) {
  const auto lib = qtrader::install_library(a.spec, target_dir(a), a.force);
  fmt::print("installed {} {} at {}\n", lib.manifest.name, lib.manifest.version.text(), lib.path);
  return 0;
}

int list(const LibArgs&) {
  for (const auto& [scope, dir] : library_dirs()) {
    std::vector<std::string> problems;
    const auto libs = qtrader::installed_libraries(dir, &problems);
    fmt::print("# {} libraries ({})\n", scope, dir);
    if (libs.empty() && problems.empty()) fmt::print("  none\n");
    for (const auto& lib : libs)
      fmt::print("  {:<20} {:<10} {}\n", lib.manifest.name, lib.manifest.version.text(), lib.manifest.description);
    for (const auto& p : problems) fmt::print("  unreadable: {}\n", p);
    fmt::print("\n");
  }
  return 0;
}

int remove(const LibArgs& a) {
  const std::string dir = target_dir(a);
  if (!qtrader::remove_library(a.name, dir)) {
    fmt::print(stderr, "error: no library '{}' is installed in {}\n", a.name, dir);
    return 2;
  }
  fmt::print("removed {} from {}\n", a.name, dir);
  return 0;
}

int info(const LibArgs& a) {
  for (const auto& [scope, dir] : library_dirs()) {
    const fs::path folder = fs::path(dir) / a.name;
    if (a.name.empty() || !fs::exists(folder / qtrader::kManifestFile)) continue;
    const auto lib = qtrader::read_installed_library(folder.string());
    const auto& m = lib.manifest;
    fmt::print("name:        {}\nversion:     {}\n", m.name, m.version.text());
    if (!m.description.empty()) fmt::print("description: {}\n", m.description);
    if (!m.license.empty()) fmt::print("license:     {}\n", m.license);
    fmt::print("qtrader:     {}\n", m.qtrader ? m.qtrader->text() : "any");
    for (const auto& r : m.requires_) fmt::print("requires:    {} {}\n", r.name, r.range.text());
    fmt::print("installed:   {} ({})\n", lib.path, scope);
    if (!lib.source.empty()) fmt::print("source:      {}{}\n", lib.source, lib.ref.empty() ? "" : "@" + lib.ref);
    if (!lib.commit.empty()) fmt::print("commit:      {}\n", lib.commit);
    fmt::print("hash:        {}\n", qtrader::library_content_hash(lib.path));
    const qtrader::Engine engine;  // for the built-in modules the library may require
    qtrader::ScriptRoots roots{{lib.path}, engine.root() + "/strategies", engine.root() + "/scripts", {}};
    const qtrader::ScriptRegistry registry(roots);
    for (const auto& e : registry.list())
      if (e.library_index == 0)
        fmt::print("{:<12} {} ({}){}\n", e.kind == qtrader::ScriptKind::Strategy ? "strategy:" : "risk policy:",
                 e.qualified_name(), fs::path(e.path).lexically_relative(lib.path).string(),
                 e.load_error.empty() ? "" : " - load error: " + e.load_error);
    return 0;
  }
  fmt::print(stderr, "error: no library '{}' is installed ({} or {})\n", a.name, library_dirs()[0].second,
             library_dirs()[1].second);
  return 2;
}

int lock(const LibArgs& a) {
  const qtrader::Engine engine(a.engine);
  std::vector<qtrader::LockedLibrary> locked;
  for (const auto& u : engine.libraries_used(a.backtest)) locked.push_back({u.name, u.version, u.source, u.hash, {}});
  const std::string path = qtrader::lock_path_for(a.backtest);
  qtrader::write_lock_file(path, locked);
  for (const auto& l : locked) fmt::print("locked {} {} {}\n", l.name, l.version, l.hash);
  fmt::print("{}\n", path);
  return 0;
}

template <int (*Command)(const LibArgs&)>
void run_guarded(const LibArgs& a, int& exit_code) {
  try {
    exit_code = Command(a);
  } catch (...) {
    exit_code = qtrader::cli::report_failure(std::current_exception());
  }
}

}  // namespace

namespace qtrader::cli {

void add_lib_command(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<LibArgs>();
  auto* lib = app.add_subcommand("lib", "Install, list, remove and lock libraries of scripts (docs/libraries.md)");
  lib->require_subcommand(1);
  const char* project_help = "The project's libraries (./qtrader_libs) instead of the user's";

  auto* add_cmd = lib->add_subcommand("add", "Install a library: a folder (copied) or a git repository (cloned), "
                                             "PATH or GIT_URL[@REF]");
  add_cmd->add_option("source", a->spec, "Folder, or git repository with an optional @REF")->required();
  add_cmd->add_flag("--project", a->project, project_help);
  add_cmd->add_flag("--force", a->force, "Replace an installed library of the same name");
  add_cmd->callback([a, &exit_code] { run_guarded<add>(*a, exit_code); });

  auto* list_cmd = lib->add_subcommand("list", "List the installed libraries (the project's, then the user's)");
  list_cmd->callback([a, &exit_code] { run_guarded<list>(*a, exit_code); });

  auto* remove_cmd = lib->add_subcommand("remove", "Remove an installed library");
  remove_cmd->add_option("name", a->name, "Library name")->required();
  remove_cmd->add_flag("--project", a->project, project_help);
  remove_cmd->callback([a, &exit_code] { run_guarded<remove>(*a, exit_code); });

  auto* info_cmd = lib->add_subcommand("info", "Show an installed library: manifest, source, hash, scripts");
  info_cmd->add_option("name", a->name, "Library name")->required();
  info_cmd->callback([a, &exit_code] { run_guarded<info>(*a, exit_code); });

  auto* lock_cmd = lib->add_subcommand("lock", "Write qtrader.lock beside the backtest: the libraries it uses, "
                                               "their versions and content hashes");
  lock_cmd->add_option("backtest", a->backtest, "Backtest file (YAML)")->required()->check(CLI::ExistingFile);
  lock_cmd->add_option("--system", a->engine.system_config, "System configuration")->check(CLI::ExistingFile);
  lock_cmd->add_option("--data", a->engine.data_dir, "As for qtrader run")->check(CLI::ExistingDirectory);
  lock_cmd->callback([a, &exit_code] { run_guarded<lock>(*a, exit_code); });
}

}  // namespace qtrader::cli
