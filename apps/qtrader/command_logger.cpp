#include "command_logger.hpp"

#include <memory>
#include <string>
#include <utility>

#include <spdlog/sinks/sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "qtrader/run_log.hpp"

namespace qtrader::cli {

namespace {

std::shared_ptr<spdlog::sinks::stderr_color_sink_mt> g_stderr;

// A line for the default logger goes to the run of this thread when there is
// one, else to stderr at warn and above.
class ToRunOrStderr final : public spdlog::sinks::sink {
 public:
  explicit ToRunOrStderr(std::shared_ptr<spdlog::sinks::sink> fallback) : fallback_(std::move(fallback)) {}
  void log(const spdlog::details::log_msg& msg) override {
    if (const auto run = thread_run_logger()) {
      run->log(msg.time, msg.source, msg.level, msg.payload);
      return;
    }
    if (fallback_->should_log(msg.level)) fallback_->log(msg);
  }
  void flush() override { fallback_->flush(); }
  void set_pattern(const std::string& pattern) override { fallback_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> f) override { fallback_->set_formatter(std::move(f)); }

 private:
  std::shared_ptr<spdlog::sinks::sink> fallback_;
};

}  // namespace

std::shared_ptr<spdlog::logger> make_command_logger(spdlog::color_mode color) {
  g_stderr = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(color);
  g_stderr->set_level(spdlog::level::warn);
  auto logger = std::make_shared<spdlog::logger>("qtrader", std::make_shared<ToRunOrStderr>(g_stderr));
  logger->set_level(spdlog::level::trace);  // each run's logger filters to its own levels
  return logger;
}

void set_command_logger_color(spdlog::color_mode color) {
  if (g_stderr) g_stderr->set_color_mode(color);
}

}  // namespace qtrader::cli
