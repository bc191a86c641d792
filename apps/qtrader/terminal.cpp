#include "terminal.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "command_logger.hpp"

namespace qtrader::cli {

namespace {

LogColor g_color = LogColor::Auto;

constexpr double kBarAfterSeconds = 1.0;  // short runs draw nothing

}  // namespace

spdlog::color_mode spdlog_color_mode(LogColor color) {
  const char* no_color = std::getenv("NO_COLOR");  // no-color.org: set and not empty
  switch (color) {
    case LogColor::Always: return spdlog::color_mode::always;
    case LogColor::Never: return spdlog::color_mode::never;
    case LogColor::Auto: break;
  }
  return no_color && *no_color ? spdlog::color_mode::never : spdlog::color_mode::automatic;
}

LogColor log_color() { return g_color; }

void add_color_option(CLI::App& app) {
  app.add_option_function<std::string>(
         "--color",
         [](const std::string& v) {
           g_color = v == "always" ? LogColor::Always : v == "never" ? LogColor::Never : LogColor::Auto;
           set_command_logger_color(spdlog_color_mode(g_color));
         },
         "Colours in log lines: auto (on a terminal, unless NO_COLOR is set), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
}

std::function<void(const RunProgress&)> terminal_progress_bar(bool quiet) {
  if (quiet || !::isatty(STDERR_FILENO)) return {};
  return [drawn = false](const RunProgress& p) mutable {
    if (p.done) {
      if (drawn) std::fputs("\r\033[K", stderr);
      drawn = false;
      return;
    }
    if (p.seconds < kBarAfterSeconds) return;
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(p.percent / 100.0 * kWidth);
    const double rate = static_cast<double>(p.bars) / p.seconds;
    const double left = p.percent > 0 ? p.seconds * (100.0 - p.percent) / p.percent : 0.0;
    fmt::print(stderr, "\r\033[K{:5.1f}% [{}{}] {}  {} bars  {:.0f} bars/s  {:.0f}s left", p.percent,
               std::string(filled, '#'), std::string(kWidth - filled, '.'), p.sim_date, p.bars, rate,
               left);
    std::fflush(stderr);
    drawn = true;
  };
}

}  // namespace qtrader::cli
