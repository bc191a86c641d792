// `qtrader watch` as a user runs it: the real binary in a child process, a
// strategy edited while it watches, then Ctrl-C. Every wait has a deadline,
// so a watch that never re-runs fails the test instead of hanging it.
#include <catch2/catch.hpp>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "embedding_support.hpp"

using namespace qtrader::embedding_test;
using Clock = std::chrono::steady_clock;

namespace {

class WatchProcess {
 public:
  explicit WatchProcess(const Workspace& ws) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::dup2(out[1], 2);
      ::close(out[0]);
      const std::string backtest = ws.backtest(), output = (ws.dir / "results").string();
      ::execl(QTRADER_BINARY, QTRADER_BINARY, "watch", backtest.c_str(), "--output", output.c_str(),
              "--interval-ms", "50", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    fd_ = out[0];
  }
  ~WatchProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(fd_);
  }

  // Reads output until `text` has appeared `count` times in total, or the deadline.
  bool wait_for(const std::string& text, int count, double seconds) {
    const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    while (occurrences(text) < count) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) return false;
      char buf[4096];
      const ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) return occurrences(text) >= count;
      output_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }

  // Sends SIGINT; returns the exit status, or -1 if it did not exit in time.
  int interrupt(double seconds) {
    ::kill(pid_, SIGINT);
    const auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        wait_for("\x01", 1, 0.5);  // drain what is left
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      ::usleep(20'000);
    }
    return -1;
  }

  const std::string& output() const { return output_; }

 private:
  int occurrences(const std::string& text) const {
    int n = 0;
    for (auto at = output_.find(text); at != std::string::npos; at = output_.find(text, at + 1)) ++n;
    return n;
  }
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string output_;
};

}  // namespace

TEST_CASE("watch: re-runs an edited strategy, keeps the last good run, stops on Ctrl-C", "[embedding][watch]") {
  Workspace ws("watch");
  ws.write("scripts/every_n.lua", every_n(100, 10));
  WatchProcess watch(ws);
  const char* kWatching = "watching for changes";
  REQUIRE(watch.wait_for(kWatching, 1, 8.0));
  INFO(watch.output());
  CHECK_THAT(watch.output(), Catch::Contains("run 1: "));
  CHECK_THAT(watch.output(), Catch::Matches("(.|\n)*trades +- +3\n(.|\n)*"));

  ws.write("scripts/every_n.lua", every_n(20, 5));
  REQUIRE(watch.wait_for(kWatching, 2, 8.0));
  CHECK_THAT(watch.output(), Catch::Contains("changed: every_n.lua"));
  CHECK_THAT(watch.output(), Catch::Contains("run 2: "));
  // This run beside the previous one.
  CHECK_THAT(watch.output(), Catch::Matches("(.|\n)*trades +3 +13\n(.|\n)*"));
  CHECK_THAT(watch.output(), Catch::Matches("(.|\n)*bars +252 +252\n(.|\n)*"));

  // A broken edit: the reason, and the last good results kept.
  ws.write("scripts/every_n.lua", "return { name = 'every_n', on_bar = function(ctx, bar) if then end }\n");
  REQUIRE(watch.wait_for(kWatching, 3, 8.0));
  CHECK_THAT(watch.output(), Catch::Contains("run 3 failed: "));
  CHECK_THAT(watch.output(), Catch::Contains("every_n.lua:1:"));
  CHECK_THAT(watch.output(), Catch::Contains("keeping the results of run 2"));

  CHECK(watch.interrupt(5.0) == 0);
  CHECK_THAT(watch.output(), Catch::Contains("stopped after 3 runs"));
}
