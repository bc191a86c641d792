#include "qtrader/run_log.hpp"

#include <utility>

#include <spdlog/spdlog.h>

namespace qtrader {

namespace {
thread_local std::shared_ptr<spdlog::logger> t_run_logger;
}  // namespace

spdlog::logger& run_log() {
  if (t_run_logger) return *t_run_logger;
  return *spdlog::default_logger_raw();
}

std::shared_ptr<spdlog::logger> thread_run_logger() { return t_run_logger; }

ScopedRunLogger::ScopedRunLogger(std::shared_ptr<spdlog::logger> logger)
    : previous_(std::exchange(t_run_logger, std::move(logger))) {}

ScopedRunLogger::~ScopedRunLogger() { t_run_logger = std::move(previous_); }

}  // namespace qtrader
