#include "engine/run_logging.hpp"

#include <algorithm>
#include <cstdlib>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "engine/json_log_formatter.hpp"

namespace qtrader {

RunLogging::RunLogging(const LoggingConfig& config, const RunOptions& options)
    : level_(config.file_level), file_(config.file),
      json_(config.format == LogFormat::Json) {
  // NO_COLOR (no-color.org): set and not empty, no colour escapes on stderr
  // unless the application asks for them (RunOptions::color).
  const char* no_color = std::getenv("NO_COLOR");
  const auto mode = options.color == LogColor::Always ? spdlog::color_mode::always
                    : options.color == LogColor::Never || (no_color && *no_color)
                        ? spdlog::color_mode::never
                        : spdlog::color_mode::automatic;
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(mode);
  auto level = spdlog::level::from_str(config.level);
  if (options.quiet) level = std::max(level, spdlog::level::warn);
  if (options.verbose) level = std::min(level, spdlog::level::debug);
  console->set_level(level);
  if (json_) console->set_formatter(make_json_log_formatter());
  else console->set_pattern("%^%L%$ %v");
  logger_ = std::make_shared<spdlog::logger>("qtrader", console);
  // The logger passes what either sink wants; each sink filters to its own level.
  const auto file_level = file_ ? spdlog::level::from_str(config.file_level) : spdlog::level::off;
  logger_->set_level(std::min({level, spdlog::level::from_str(config.level), file_level}));
  scope_.emplace(logger_);
}

RunLogging::~RunLogging() {
  logger_->flush();
}

void RunLogging::add_file(const std::string& dir) {
  if (!file_) return;
  auto sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(dir + "/run.log", true);
  sink->set_level(spdlog::level::from_str(level_));
  if (json_) sink->set_formatter(make_json_log_formatter());
  else sink->set_pattern("%Y-%m-%d %H:%M:%S.%e %l %v");
  logger_->sinks().push_back(sink);
  logger_->flush_on(spdlog::level::warn);
  file_only_ = std::make_shared<spdlog::logger>("qtrader-file", sink);
}

void RunLogging::record_failure(const std::string& message) {
  if (!file_only_) return;
  file_only_->error("run failed: {}", message);
  file_only_->flush();
}

}  // namespace qtrader
