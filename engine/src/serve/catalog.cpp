#include "serve/catalog.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "qtrader/config.hpp"

namespace qtrader::serve {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxSymbolsListed = 5000;

// The child's stdout; its stderr is dropped.
std::string capture(const std::string& executable, std::vector<std::string> args) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<char*> argv{const_cast<char*>(executable.c_str())};
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(fds[1], 1);
    const int devnull = open("/dev/null", O_RDWR);
    dup2(devnull, 0);
    dup2(devnull, 2);
    for (int fd = 3; fd < 1024; ++fd) close(fd);  // not the server's sockets
    execv(executable.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw std::runtime_error("`qtrader list --json` failed");
  return out;
}

}  // namespace

nlohmann::ordered_json read_script_list(const ServeConfig& config, const std::vector<std::string>& roots) {
  std::vector<std::string> args{"list", "--json"};
  for (const auto& p : roots) {
    args.push_back("--script-path");
    args.push_back(p);
  }
  return nlohmann::ordered_json::parse(capture(config.executable, args));
}

std::string public_catalog(const nlohmann::ordered_json& list) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& e : list) {
    nlohmann::ordered_json entry = e;
    entry.erase("file");
    out.push_back(entry);
  }
  return out.dump();
}

std::string read_data_sources(const ServeConfig& config) {
  const SystemConfig system = load_system_config(config.system_config);
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  if (!fs::exists(system.data.sources_config)) return out.dump();
  const DataSourcesConfig sources = load_data_sources(system.data.sources_config, system.data.default_timezone);
  for (const auto& s : sources.sources) {
    std::vector<std::string> symbols;
    std::error_code ec;
    if (s.path.find("{symbol}") == std::string::npos && fs::is_directory(s.path, ec))
      for (const auto& f : fs::directory_iterator(s.path, ec)) {
        const auto ext = f.path().extension().string();
        if (f.is_regular_file(ec) && (ext == ".csv" || ext == ".txt" || f.path().string().ends_with(".csv.gz")))
          symbols.push_back(f.path().filename().string().substr(0, f.path().filename().string().find('.')));
        if (symbols.size() >= kMaxSymbolsListed) break;
      }
    std::sort(symbols.begin(), symbols.end());
    symbols.erase(std::unique(symbols.begin(), symbols.end()), symbols.end());
    out.push_back({{"name", s.name},
                   {"adapter", s.adapter},
                   {"layout", s.layout},
                   {"kind", s.kind},
                   {"bar_size", s.bar_size},
                   {"timezone", s.timezone},
                   {"symbols", symbols}});
  }
  return out.dump();
}

}  // namespace qtrader::serve
