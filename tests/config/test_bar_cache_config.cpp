// system.yaml data.bar_cache: defaults, folder resolution and key errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "config_checks.hpp"
#include "qtrader/config.hpp"

namespace fs = std::filesystem;
using namespace qtrader;
using namespace qtrader::test;

namespace {

// A system.yaml with `text` in a folder of its own, removed with the object.
class SystemFile {
 public:
  explicit SystemFile(const std::string& text)
      : dir_(fs::temp_directory_path() / ("qtrader_bar_cache_config_" + std::to_string(::getpid()))) {
    fs::create_directories(dir_);
    std::ofstream(path()) << text;
  }
  ~SystemFile() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string path() const { return (dir_ / "system.yaml").string(); }
  std::string folder() const { return dir_.string(); }

 private:
  fs::path dir_;
};

}  // namespace

TEST_CASE("bar cache config: enabled with the per-user folder by default", "[config][system]") {
  const SystemFile file("logging: {level: warn}\n");
  const SystemConfig cfg = load_system_config(file.path());
  CHECK(cfg.data.bar_cache.enabled == true);
  CHECK(cfg.data.bar_cache.dir == "");
  const SystemFile empty_dir("data:\n  bar_cache: {dir: \"\"}\n");
  CHECK(load_system_config(empty_dir.path()).data.bar_cache.dir == "");
}

TEST_CASE("bar cache config: a relative folder is relative to the system file", "[config][system]") {
  const SystemFile file("data:\n  bar_cache:\n    enabled: false\n    dir: cache/../bars\n");
  const SystemConfig cfg = load_system_config(file.path());
  CHECK(cfg.data.bar_cache.enabled == false);
  CHECK(cfg.data.bar_cache.dir == file.folder() + "/bars");
  const SystemFile absolute("data:\n  bar_cache: {dir: /var/tmp/qtrader-bars}\n");
  CHECK(load_system_config(absolute.path()).data.bar_cache.dir == "/var/tmp/qtrader-bars");
}

TEST_CASE("bar cache config: unknown keys and wrong types name file, line and key",
          "[config][system][errors]") {
  {
    const SystemFile file("data:\n  bar_cache:\n    enabled: true\n    folder: x\n");
    check_config_error(config_error_of([&] { load_system_config(file.path()); }), file.path(), 4,
                       "data.bar_cache.folder",
                       "unknown key 'folder' (expected one of: enabled, dir)");
  }
  {
    const SystemFile file("data:\n  bar_cache:\n    enabled: yes\n");
    check_config_error(config_error_of([&] { load_system_config(file.path()); }), file.path(), 3,
                       "data.bar_cache.enabled", "expected true or false, got 'yes'");
  }
  {
    const SystemFile file("data:\n  bar_cache:\n    dir: [a, b]\n");
    check_config_error(config_error_of([&] { load_system_config(file.path()); }), file.path(), 3,
                       "data.bar_cache.dir", "expected a string, got a list");
  }
  {
    const SystemFile file("data:\n  bar_cashe: {enabled: false}\n");
    check_config_error(config_error_of([&] { load_system_config(file.path()); }), file.path(), 2,
                       "data.bar_cashe",
                       "unknown key 'bar_cashe' (expected one of: sources_config, "
                       "default_timezone, default_mode, bar_cache); did you mean 'bar_cache'?");
  }
}
