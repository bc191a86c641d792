// The documented Slurm job array (examples/cluster/sweep.sbatch and
// merge.sbatch, docs/cluster.md) submitted with sbatch to a real single-node
// Slurm — munged, slurmctld and slurmd on localhost, started here on free
// ports and stopped after — gives the local sweep's sweep.csv byte for byte.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "child_process.hpp"
#include "file_text.hpp"
#include "shell_command.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using namespace qtrader::test;

#define REQUIRE_SAYING(cond, message) \
  do {                                \
    INFO(message);                    \
    REQUIRE(cond);                    \
  } while (0)

namespace {

const std::string kFixtures = QTRADER_FIXTURES_DIR;
const std::string kSource = QTRADER_SOURCE_DIR;

unsigned short free_port() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t n = sizeof a;
  getsockname(s, reinterpret_cast<sockaddr*>(&a), &n);
  close(s);
  return ntohs(a.sin_port);
}

std::string short_hostname() {
  char name[256] = {};
  gethostname(name, sizeof name - 1);
  std::string s = name;
  return s.substr(0, s.find('.'));
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

// One Slurm cluster of one node, its state and logs in `dir`. Commands reach
// it through SLURM_CONF (env()).
class LocalSlurm {
 public:
  explicit LocalSlurm(const fs::path& dir) : dir_(dir) {
    for (const char* daemon : {"/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd"})
      REQUIRE_SAYING(fs::exists(daemon), std::string(daemon) + " missing: ./setup.sh --with-tests installs Slurm");
    fs::create_directories(dir / "state");
    fs::create_directories(dir / "spool");
    const std::string user = getpwuid(getuid())->pw_name;
    const auto key = run_shell_captured("mungekey -c -k " + quoted((dir / "munge.key").string()));
    REQUIRE_SAYING(key.status == 0, key.err);
    start("munged -F -f -S " + quoted(socket()) + " --key-file=" + quoted((dir / "munge.key").string()) +
          " --log-file=" + quoted((dir / "munged.log").string()) + " --pid-file=" +
          quoted((dir / "munged.pid").string()) + " --seed-file=" + quoted((dir / "munged.seed").string()));
    wait_for([&] { return fs::exists(socket()); }, "munged's socket");
    const std::string host = short_hostname();
    std::ofstream(conf()) << fmt::format(
        "ClusterName=qtest\n"
        "SlurmctldHost={host}(127.0.0.1)\n"
        "SlurmctldPort={ctld_port}\nSlurmdPort={d_port}\n"
        "AuthType=auth/munge\nCredType=cred/munge\nAuthInfo=socket={socket}\n"
        "SlurmUser={user}\nSlurmdUser={user}\n"
        "StateSaveLocation={dir}/state\nSlurmdSpoolDir={dir}/spool\n"
        "SlurmctldPidFile={dir}/slurmctld.pid\nSlurmdPidFile={dir}/slurmd.pid\n"
        "SlurmctldLogFile={dir}/slurmctld.log\nSlurmdLogFile={dir}/slurmd.log\n"
        "ProctrackType=proctrack/linuxproc\nTaskPlugin=task/none\n"
        "JobAcctGatherType=jobacct_gather/none\nAccountingStorageType=accounting_storage/none\n"
        "SelectType=select/cons_tres\nSelectTypeParameters=CR_CPU\n"
        "MpiDefault=none\nReturnToService=2\n"
        "NodeName={host} NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN\n"
        "PartitionName=q Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n",
        fmt::arg("host", host), fmt::arg("ctld_port", free_port()), fmt::arg("d_port", free_port()),
        fmt::arg("socket", socket()), fmt::arg("user", user), fmt::arg("dir", dir.string()));
    start("slurmctld -D -f " + quoted(conf()));
    start("slurmd -D -f " + quoted(conf()));
    wait_for([&] { return run_shell_captured(env() + " sinfo -h -o %t").out == "idle\n"; }, "the node to be idle");
  }

  ~LocalSlurm() {
    // Daemons last to first; each its grace, then SIGKILL.
    for (auto it = daemons_.rbegin(); it != daemons_.rend(); ++it) {
      kill(*it, SIGTERM);
      const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      int status = 0;
      while (waitpid(*it, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > end) {
          kill(*it, SIGKILL);
          waitpid(*it, &status, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  }

  LocalSlurm(const LocalSlurm&) = delete;
  LocalSlurm& operator=(const LocalSlurm&) = delete;

  std::string env() const { return "SLURM_CONF=" + quoted(conf()); }
  std::string logs() const {
    std::string out;
    for (const char* log : {"slurmctld.log", "slurmd.log", "daemons.log"})
      if (fs::exists(dir_ / log)) out += std::string("--- ") + log + "\n" + file_text(dir_ / log);
    return out;
  }

 private:
  std::string socket() const { return (dir_ / "munge.sock").string(); }
  std::string conf() const { return (dir_ / "slurm.conf").string(); }

  // The daemon in the foreground, its output into daemons.log, killed with the test.
  void start(const std::string& command) {
    const std::string log = (dir_ / "daemons.log").string();
    const SpawnedChild child =
        spawn_child({"/bin/sh", "-c", "PATH=/usr/sbin:$PATH; exec " + command + " >>" + quoted(log) + " 2>&1"}, log);
    close(child.stdout_fd);
    daemons_.push_back(child.pid);
  }

  template <typename Ready>
  void wait_for(Ready ready, const std::string& what) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (!ready()) {
      INFO(logs());
      REQUIRE_SAYING(std::chrono::steady_clock::now() < end, "Slurm did not come up: waited for " + what);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  fs::path dir_;
  std::vector<pid_t> daemons_;
};

std::string job_logs(const fs::path& dir) {
  std::string out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".out") out += "--- " + e.path().filename().string() + "\n" + file_text(e.path());
  return out;
}

}  // namespace

TEST_CASE("the documented Slurm job array and merge job give the local sweep byte for byte", "[sweep][slurm]") {
  TempDir tmp("slurm");
  LocalSlurm slurm(tmp / "slurm");
  const std::string grid = " --param fast=5,10 --param slow=30:40:10";
  const std::string backtest = kSource + "/tests/sweep/orcl.yaml";
  const std::string system = " --system " + kFixtures + "/cli/system.yaml";

  const auto local = run_shell_captured(std::string(QTRADER_BINARY) + " sweep " + backtest + system + grid +
                                        " --jobs 1 --quiet --output " + (tmp / "local").string());
  REQUIRE(local.status == 0);

  // The scripts as a user submits them: qtrader on the PATH, the array's size
  // and CPUs given on the command line over the scripts' own #SBATCH lines.
  const fs::path jobs = tmp / "jobs", out = tmp / "sweeps";
  fs::create_directories(jobs);
  const std::string submit =
      slurm.env() + " sbatch --parsable --wait --chdir=" + quoted(jobs.string()) + " --export=ALL,PATH=" +
      quoted(fs::path(QTRADER_BINARY).parent_path().string() + ":/usr/bin:/bin");
  const auto array = run_shell_captured(submit + " --array=0-2 --cpus-per-task=1 " + kSource +
                                        "/examples/cluster/sweep.sbatch " + backtest + " " + out.string() +
                                        system + grid);
  INFO(array.err + job_logs(jobs) + slurm.logs());
  REQUIRE(array.status == 0);
  const std::string array_job = array.out.substr(0, array.out.find_first_of(";\n"));
  for (int i = 0; i < 3; ++i) CHECK(fs::exists(out / ("shard-" + std::to_string(i)) / "sweep.csv"));

  const auto merge = run_shell_captured(submit + " --dependency=afterok:" + array_job + " " + kSource +
                                        "/examples/cluster/merge.sbatch " + out.string());
  INFO(merge.err + job_logs(jobs));
  REQUIRE(merge.status == 0);
  REQUIRE(fs::exists(out / "all" / "sweep.csv"));
  CHECK(file_text(out / "all" / "sweep.csv") == file_text(tmp / "local" / "sweep.csv"));
  CHECK(lines_of(file_text(out / "all" / "sweep.csv")).size() == 5);  // the header and 4 points
}
