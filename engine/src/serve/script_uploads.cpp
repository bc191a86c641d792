#include "serve/script_uploads.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

#include "base/result_file.hpp"
#include "library/manifest.hpp"
#include "serve/catalog.hpp"

namespace qtrader::serve {

namespace fs = std::filesystem;

namespace {

constexpr const char* kUploadManifest =
    "# Scripts uploaded through `qtrader serve --allow-upload` (docs/serve.md).\n"
    "name: uploads\n"
    "version: 0.0.0\n"
    "description: scripts uploaded through qtrader serve\n";

// A registry-style name: it becomes a file name, so nothing else gets through.
bool is_upload_name(const std::string& name) {
  static const std::regex pattern("[a-z][a-z0-9_]{0,63}");
  return std::regex_match(name, pattern);
}

std::string subfolder(const std::string& kind) { return kind == "risk_policy" ? "risk/" : ""; }

// Every occurrence of `from` in `text` replaced: a load error names the
// staged file, which is the server's business; the client knows its name.
std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size())
    text.replace(at, from.size(), to);
  return text;
}

void write_file(const fs::path& path, const std::string& text) {
  ResultFile out(path.string());
  out.write(text);
  out.close();
}

// A staging folder under the results folder, removed however the upload ends.
struct StagingDir {
  fs::path path;
  StagingDir(const ServeConfig& config, unsigned n)
      : path(fs::path(config.results_dir) / ".upload-staging" / (std::to_string(getpid()) + "-" + std::to_string(n))) {
    std::error_code ec;
    fs::remove_all(path, ec);
    fs::create_directories(path / "risk");
  }
  ~StagingDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;
};

bool same_file(const std::string& a, const fs::path& b) {
  std::error_code ec;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

}  // namespace

void prepare_upload_dir(ServeConfig& config) {
  if (config.upload_dir.empty()) return;
  const fs::path dir(config.upload_dir);
  std::error_code ec;
  fs::create_directories(dir / "risk", ec);
  if (ec) throw std::runtime_error("--allow-upload " + dir.string() + ": " + ec.message());
  if (!fs::exists(dir / kManifestFile)) write_file(dir / kManifestFile, kUploadManifest);
  read_manifest(dir.string());  // a bad manifest of the operator's: ConfigError naming file, line and key
  config.script_paths.push_back(dir.string());
}

ScriptUploads::ScriptUploads(const ServeConfig& config) : config_(config) {}

std::string ScriptUploads::destination(const std::string& kind, const std::string& name) const {
  return (fs::path(config_.upload_dir) / (subfolder(kind) + name + ".lua")).string();
}

void ScriptUploads::check(const std::string& kind, const std::string& name, const std::string& text) const {
  if (!enabled())
    throw UploadRefusal(403, "script upload is off (the server was started without --allow-upload DIR)", "");
  if (kind != "strategy" && kind != "risk_policy")
    throw UploadRefusal(404, "no such script kind '" + kind + "' (strategy or risk_policy)", "kind");
  if (!is_upload_name(name))
    throw UploadRefusal(400, "script name '" + name + "': lower-case letters, digits and '_', starting with a letter, at most 64",
                        "name");
  if (text.empty()) throw UploadRefusal(400, "the script is empty (send the Lua source as the request body)", "script");
}

nlohmann::ordered_json ScriptUploads::describe(const std::string& kind, const std::string& name,
                                               const std::string& text) {
  check(kind, name, text);
  // Described where no session can see it yet, in a child process.
  const StagingDir staging(config_, ++staged_);
  fs::copy_file(fs::path(config_.upload_dir) / kManifestFile, staging.path / kManifestFile);
  const fs::path staged = staging.path / (subfolder(kind) + name + ".lua");
  write_file(staged, text);
  const nlohmann::ordered_json listed = read_script_list(config_, {staging.path.string()});
  const nlohmann::ordered_json* entry = nullptr;
  for (const auto& e : listed)
    if (e.contains("file") && same_file(e["file"].get<std::string>(), staged)) entry = &e;
  if (!entry) throw std::runtime_error("the staged upload " + staged.string() + " is not in `qtrader list`");
  if (!(*entry)["load_error"].is_null())
    throw UploadRefusal(400, replace_all((*entry)["load_error"].get<std::string>(), staged.string(),
                                         subfolder(kind) + name + ".lua"),
                        "script");
  nlohmann::ordered_json out = *entry;
  out.erase("file");
  return out;
}

nlohmann::ordered_json ScriptUploads::commit(const std::string& kind, const std::string& name,
                                             const std::string& text, nlohmann::ordered_json entry,
                                             const nlohmann::ordered_json& scripts) {
  const std::string declared = entry["name"].get<std::string>();
  const std::string final_path = destination(kind, name);
  for (const auto& e : scripts) {
    if (e["kind"] != kind || e["name"] != declared || same_file(e["file"].get<std::string>(), final_path)) continue;
    throw UploadRefusal(409,
                        fmt::format("the {} name '{}' is taken by {}: give the script another name", kind, declared,
                                    e["full_name"].get<std::string>()),
                        "name");
  }
  write_file(final_path, text);
  return entry;
}

bool ScriptUploads::exists(const std::string& kind, const std::string& name) const {
  if (!enabled() || (kind != "strategy" && kind != "risk_policy") || !is_upload_name(name)) return false;
  std::error_code ec;
  return fs::is_regular_file(destination(kind, name), ec);
}

bool ScriptUploads::remove(const std::string& kind, const std::string& name) {
  if (!enabled())
    throw UploadRefusal(403, "script upload is off (the server was started without --allow-upload DIR)", "");
  if ((kind != "strategy" && kind != "risk_policy") || !is_upload_name(name)) return false;
  std::error_code ec;
  return fs::remove(destination(kind, name), ec);
}

}  // namespace qtrader::serve
